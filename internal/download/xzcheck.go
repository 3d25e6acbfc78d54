package download

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// xzMaxDict bounds the LZMA2 dictionary an xz block may declare. The xz
// reader (github.com/ulikunitz/xz) allocates the dictionary a block
// header declares, up to 4 GiB, and its ReaderConfig.DictCap is a floor,
// not a cap; so checkXZ reads every block header first. 64 MiB is the
// dictionary of xz -9, the largest preset.
const xzMaxDict = 64 << 20

// errXZFormat is wrapped by the error for an xz file whose structure
// checkXZ cannot follow; the xz reader would refuse it too.
var errXZFormat = errors.New("malformed xz file")

// xzCheckSizes is the size of the check field for each check type.
var xzCheckSizes = [16]int{0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64}

// checkXZ walks the structure of an xz file (streams, block headers,
// LZMA2 chunk headers, indexes, footers and padding) without decompressing
// it, and refuses a block whose LZMA2 dictionary is larger than maxDict
// before the xz reader allocates it. Chunk sizes are in the LZMA2 chunk
// headers, so every block is found whatever its header says about sizes.
func checkXZ(r io.Reader, maxDict int64) error {
	x := &xzWalker{r: bufio.NewReaderSize(r, 64<<10)}
	for streams := 0; ; streams++ {
		if streams > 0 {
			// Stream padding: zero bytes, a multiple of four, then
			// another stream or the end.
			n := 0
			for {
				b, err := x.r.Peek(1)
				if err == io.EOF {
					if n%4 != 0 {
						return x.bad("stream padding is not a multiple of four bytes")
					}
					return nil
				}
				if err != nil {
					return err
				}
				if b[0] != 0 {
					break
				}
				x.r.ReadByte()
				n++
			}
			if n%4 != 0 {
				return x.bad("stream padding is not a multiple of four bytes")
			}
		}
		if err := x.stream(maxDict); err != nil {
			return err
		}
	}
}

type xzWalker struct {
	r   *bufio.Reader
	off int64 // bytes consumed, for messages
}

func (x *xzWalker) bad(what string) error {
	return fmt.Errorf("%w: %s at byte %d", errXZFormat, what, x.off)
}

func (x *xzWalker) read(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(x.r, b); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, x.bad("unexpected end")
		}
		return nil, err
	}
	x.off += int64(n)
	return b, nil
}

func (x *xzWalker) skip(n int64) error {
	for n > 0 {
		k := int(min(n, 1<<20))
		d, err := x.r.Discard(k)
		x.off += int64(d)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return x.bad("unexpected end")
			}
			return err
		}
		n -= int64(k)
	}
	return nil
}

func (x *xzWalker) byte() (byte, error) {
	b, err := x.read(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

// uvarint reads an xz multibyte integer (at most nine bytes) from the
// reader, returning it and its length.
func (x *xzWalker) uvarint() (uint64, int, error) {
	var v uint64
	for i := 0; i < 9; i++ {
		b, err := x.byte()
		if err != nil {
			return 0, 0, err
		}
		v |= uint64(b&0x7f) << (7 * i)
		if b&0x80 == 0 {
			return v, i + 1, nil
		}
	}
	return 0, 0, x.bad("integer longer than nine bytes")
}

// stream walks one stream, from its header to its footer.
func (x *xzWalker) stream(maxDict int64) error {
	hdr, err := x.read(12)
	if err != nil {
		return err
	}
	if string(hdr[:6]) != "\xfd7zXZ\x00" {
		return x.bad("no xz stream header")
	}
	if hdr[6] != 0 || hdr[7] > 0x0f {
		return x.bad("unknown stream flags")
	}
	checkSize := int64(xzCheckSizes[hdr[7]])
	for {
		size, err := x.byte()
		if err != nil {
			return err
		}
		if size == 0 {
			return x.index()
		}
		if err := x.block(int(size), checkSize, maxDict); err != nil {
			return err
		}
	}
}

// block walks one block whose header size byte has been read.
func (x *xzWalker) block(sizeByte int, checkSize, maxDict int64) error {
	hlen := (sizeByte + 1) * 4
	rest, err := x.read(hlen - 1)
	if err != nil {
		return err
	}
	h := append([]byte{byte(sizeByte)}, rest...)
	if crc32.ChecksumIEEE(h[:hlen-4]) != binary.LittleEndian.Uint32(h[hlen-4:]) {
		return x.bad("block header checksum mismatch")
	}
	p := &xzBytes{b: h[:hlen-4], i: 2}
	flags := h[1]
	if flags&0x3c != 0 {
		return x.bad("reserved block flags set")
	}
	if flags&0x40 != 0 {
		if _, ok := p.uvarint(); !ok {
			return x.bad("bad compressed size in a block header")
		}
	}
	if flags&0x80 != 0 {
		if _, ok := p.uvarint(); !ok {
			return x.bad("bad uncompressed size in a block header")
		}
	}
	filters := int(flags&3) + 1
	var lzma2 bool
	for f := 0; f < filters; f++ {
		id, ok1 := p.uvarint()
		n, ok2 := p.uvarint()
		if !ok1 || !ok2 || n > uint64(len(p.b)-p.i) {
			return x.bad("bad filter flags in a block header")
		}
		props := p.b[p.i : p.i+int(n)]
		p.i += int(n)
		if id != 0x21 {
			continue
		}
		if f != filters-1 || len(props) != 1 || props[0] > 40 {
			return x.bad("bad LZMA2 filter in a block header")
		}
		lzma2 = true
		if dict := xzDictSize(props[0]); dict > maxDict {
			return fmt.Errorf("xz block declares a %d MiB dictionary, more than the %d MiB any xz preset uses; a dictionary that large is only good for exhausting memory: %w",
				dict>>20, maxDict>>20, ErrLimit)
		}
	}
	if !lzma2 {
		return x.bad("block without an LZMA2 filter")
	}
	// The compressed data is an LZMA2 stream of chunks whose headers give
	// their sizes.
	var csize int64
	for {
		c, err := x.byte()
		if err != nil {
			return err
		}
		csize++
		switch {
		case c == 0:
		case c == 1 || c == 2:
			b, err := x.read(2)
			if err != nil {
				return err
			}
			n := int64(binary.BigEndian.Uint16(b)) + 1
			csize += 2 + n
			if err := x.skip(n); err != nil {
				return err
			}
			continue
		case c >= 0x80:
			hl := 4
			if c >= 0xc0 {
				hl = 5
			}
			b, err := x.read(hl)
			if err != nil {
				return err
			}
			n := int64(binary.BigEndian.Uint16(b[2:4])) + 1
			csize += int64(hl) + n
			if err := x.skip(n); err != nil {
				return err
			}
			continue
		default:
			return x.bad("bad LZMA2 chunk")
		}
		break
	}
	pad := (4 - (int64(hlen)+csize)%4) % 4
	return x.skip(pad + checkSize)
}

// index walks an index whose indicator byte has been read, and the stream
// footer after it.
func (x *xzWalker) index() error {
	n := int64(1)
	count, l, err := x.uvarint()
	if err != nil {
		return err
	}
	n += int64(l)
	for range count {
		for range 2 {
			_, l, err := x.uvarint()
			if err != nil {
				return err
			}
			n += int64(l)
		}
	}
	if err := x.skip((4-n%4)%4 + 4); err != nil { // padding and CRC32
		return err
	}
	footer, err := x.read(12)
	if err != nil {
		return err
	}
	if string(footer[10:]) != "YZ" {
		return x.bad("no xz stream footer")
	}
	return nil
}

// xzDictSize decodes the LZMA2 dictionary size byte (0 to 40).
func xzDictSize(b byte) int64 {
	if b == 40 {
		return 1<<32 - 1
	}
	return int64(2|b&1) << (b/2 + 11)
}

// xzBytes reads multibyte integers from a block header.
type xzBytes struct {
	b []byte
	i int
}

func (p *xzBytes) uvarint() (uint64, bool) {
	var v uint64
	for k := 0; k < 9 && p.i < len(p.b); k++ {
		c := p.b[p.i]
		p.i++
		v |= uint64(c&0x7f) << (7 * k)
		if c&0x80 == 0 {
			return v, true
		}
	}
	return 0, false
}
