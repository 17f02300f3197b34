package lockmodel

import (
	"go/token"
	"os"
	"sync"
)

// Sites in facts come from other packages, whose files are not in the
// pass's FileSet. PosOf gives such a site a token.Pos by adding its file to
// the FileSet once (with its real line table when the file is readable), so
// related information can point at it in every driver.
var (
	posMu    sync.Mutex
	posFiles = map[*token.FileSet]map[string]*token.File{}
)

// fakeLines is the line count given to files that cannot be read.
const fakeLines = 1 << 16

// PosOf returns a position for s in fset.
func PosOf(fset *token.FileSet, s Site) token.Pos {
	if s.File == "" || s.Line <= 0 {
		return token.NoPos
	}
	f := fileFor(fset, s.File)
	if f == nil || s.Line > f.LineCount() {
		return token.NoPos
	}
	start := f.LineStart(s.Line)
	end := f.Base() + f.Size()
	if s.Line < f.LineCount() {
		end = int(f.LineStart(s.Line + 1))
	}
	p := int(start) + s.Col - 1
	if s.Col < 1 || p >= end {
		p = int(start)
	}
	return token.Pos(p)
}

func fileFor(fset *token.FileSet, name string) *token.File {
	posMu.Lock()
	defer posMu.Unlock()
	files := posFiles[fset]
	if files == nil {
		files = map[string]*token.File{}
		posFiles[fset] = files
	}
	if f, ok := files[name]; ok {
		return f
	}
	data, err := os.ReadFile(name)
	var found *token.File
	fset.Iterate(func(f *token.File) bool {
		// A file parsed from source has the file's size; files made from
		// export data have made-up line tables.
		if f.Name() == name && (err != nil && f.LineCount() > 1 || err == nil && f.Size() == len(data)) {
			found = f
			return false
		}
		return true
	})
	if found == nil {
		if err == nil {
			found = fset.AddFile(name, -1, len(data)+1)
			found.SetLinesForContent(data)
		} else {
			found = fset.AddFile(name, -1, fakeLines)
			lines := make([]int, fakeLines)
			for i := range lines {
				lines[i] = i
			}
			found.SetLines(lines)
		}
	}
	files[name] = found
	return found
}
