package vcs

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
)

// sqliteDB is a read-only view of an SQLite database file, just enough to
// read the rows of a plain table without running any SQL: fossil keeps its
// settings in SQLite files, and a planted database must not get to run
// anything (views, triggers, functions) while fetch reads it.
type sqliteDB struct {
	data     []byte
	pageSize int
	usable   int
}

// maxSQLiteFile bounds what fetch reads of a database to vet it.
const maxSQLiteFile = 1 << 30

func openSQLite(path string) (*sqliteDB, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxSQLiteFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxSQLiteFile)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < 100 || string(data[:16]) != "SQLite format 3\x00" {
		return nil, errors.New("not an SQLite 3 database")
	}
	ps := int(binary.BigEndian.Uint16(data[16:18]))
	if ps == 1 {
		ps = 65536
	}
	if ps < 512 || ps&(ps-1) != 0 {
		return nil, errors.New("bad page size")
	}
	// Write-ahead logging keeps newer content in another file.
	if data[18] != 1 || data[19] != 1 {
		return nil, errors.New("the database uses write-ahead logging")
	}
	return &sqliteDB{data: data, pageSize: ps, usable: ps - int(data[20])}, nil
}

func (db *sqliteDB) page(n int) ([]byte, error) {
	if n < 1 || n*db.pageSize > len(db.data) {
		return nil, fmt.Errorf("page %d out of range", n)
	}
	return db.data[(n-1)*db.pageSize : n*db.pageSize], nil
}

// varint decodes an SQLite variable-length integer.
func sqliteVarint(b []byte) (uint64, int, error) {
	var v uint64
	for i := 0; i < 9; i++ {
		if i >= len(b) {
			return 0, 0, errors.New("truncated varint")
		}
		if i == 8 {
			return v<<8 | uint64(b[i]), 9, nil
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i]&0x80 == 0 {
			return v, i + 1, nil
		}
	}
	return v, 9, nil
}

// rows returns the records of the table b-tree rooted at page root, each
// as its columns (nil, int64, or string for text and blobs).
func (db *sqliteDB) rows(root int) ([][]any, error) {
	var out [][]any
	visited := map[int]bool{}
	var walk func(n int) error
	walk = func(n int) error {
		if visited[n] || len(visited) > len(db.data)/db.pageSize {
			return errors.New("a page cycle")
		}
		visited[n] = true
		p, err := db.page(n)
		if err != nil {
			return err
		}
		h := 0
		if n == 1 {
			h = 100
		}
		if len(p) < h+12 {
			return errors.New("short page")
		}
		kind := p[h]
		cells := int(binary.BigEndian.Uint16(p[h+3:]))
		ptrs := h + 8
		if kind == 0x05 {
			ptrs = h + 12
		} else if kind != 0x0d {
			return fmt.Errorf("page %d is not a table page", n)
		}
		for i := 0; i < cells; i++ {
			if ptrs+2*i+2 > len(p) {
				return errors.New("bad cell pointer")
			}
			off := int(binary.BigEndian.Uint16(p[ptrs+2*i:]))
			if off >= len(p) {
				return errors.New("bad cell offset")
			}
			if kind == 0x05 {
				if off+4 > len(p) {
					return errors.New("bad cell")
				}
				if err := walk(int(binary.BigEndian.Uint32(p[off:]))); err != nil {
					return err
				}
				continue
			}
			rec, err := db.payload(p, off)
			if err != nil {
				return err
			}
			cols, err := sqliteRecord(rec)
			if err != nil {
				return err
			}
			out = append(out, cols)
		}
		if kind == 0x05 {
			return walk(int(binary.BigEndian.Uint32(p[h+8:])))
		}
		return nil
	}
	return out, walk(root)
}

// payload reads the record of a leaf table cell, following overflow pages.
func (db *sqliteDB) payload(p []byte, off int) ([]byte, error) {
	size, n, err := sqliteVarint(p[off:])
	if err != nil {
		return nil, err
	}
	off += n
	_, n, err = sqliteVarint(p[off:]) // rowid
	if err != nil {
		return nil, err
	}
	off += n
	if size > uint64(len(db.data)) {
		return nil, errors.New("record too large")
	}
	u := db.usable
	x := u - 35
	local := int(size)
	if local > x {
		m := (u-12)*32/255 - 23
		k := m + (int(size)-m)%(u-4)
		local = m
		if k <= x {
			local = k
		}
	}
	if off+local > len(p) {
		return nil, errors.New("record past its page")
	}
	rec := append([]byte(nil), p[off:off+local]...)
	if local == int(size) {
		return rec, nil
	}
	if off+local+4 > len(p) {
		return nil, errors.New("bad overflow pointer")
	}
	next := int(binary.BigEndian.Uint32(p[off+local:]))
	for hops := 0; len(rec) < int(size); hops++ {
		if next == 0 || hops > len(db.data)/db.pageSize {
			return nil, errors.New("broken overflow chain")
		}
		op, err := db.page(next)
		if err != nil {
			return nil, err
		}
		next = int(binary.BigEndian.Uint32(op))
		rec = append(rec, op[4:min(u, 4+int(size)-len(rec))]...)
	}
	return rec, nil
}

// sqliteRecord decodes a record into its columns.
func sqliteRecord(rec []byte) ([]any, error) {
	hsize, n, err := sqliteVarint(rec)
	if err != nil || hsize > uint64(len(rec)) {
		return nil, errors.New("bad record header")
	}
	var types []uint64
	for i := n; i < int(hsize); {
		t, m, err := sqliteVarint(rec[i:int(hsize)])
		if err != nil {
			return nil, err
		}
		types = append(types, t)
		i += m
	}
	body := rec[hsize:]
	var cols []any
	for _, t := range types {
		var l int
		switch {
		case t == 0 || t == 8 || t == 9:
			cols = append(cols, map[uint64]any{0: nil, 8: int64(0), 9: int64(1)}[t])
			continue
		case t <= 6:
			l = []int{0, 1, 2, 3, 4, 6, 8}[t]
		case t == 7:
			l = 8
		case t >= 12:
			l = int((t - 12) / 2)
		default:
			return nil, errors.New("bad serial type")
		}
		if l > len(body) {
			return nil, errors.New("record past its end")
		}
		v := body[:l]
		body = body[l:]
		switch {
		case t <= 6:
			var x int64
			for _, c := range v {
				x = x<<8 | int64(c)
			}
			if l > 0 && l < 8 && v[0]&0x80 != 0 {
				x -= 1 << (8 * l)
			}
			cols = append(cols, x)
		case t == 7:
			cols = append(cols, nil) // a float: not needed
		default:
			cols = append(cols, string(v))
		}
	}
	return cols, nil
}

// table returns the rows of the plain table called name; a view, a
// virtual table or a missing table is an error.
func (db *sqliteDB) table(name string) ([][]any, error) {
	master, err := db.rows(1)
	if err != nil {
		return nil, err
	}
	for _, r := range master {
		if len(r) < 5 {
			continue
		}
		if n, _ := r[1].(string); !strings.EqualFold(n, name) {
			continue
		}
		typ, _ := r[0].(string)
		sql, _ := r[4].(string)
		root, _ := r[3].(int64)
		if typ != "table" || root < 1 || strings.Contains(strings.ToUpper(sql), "VIRTUAL") {
			return nil, fmt.Errorf("%s is not a plain table", name)
		}
		return db.rows(int(root))
	}
	return nil, fmt.Errorf("no table %s", name)
}
