package reports

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// node is one XML element: the report formats nest suites freely (JUnit
// testsuites in testsuites, NUnit test-suite in test-suite), so they are
// read as a tree and walked, not decoded into fixed structs.
type node struct {
	name     string
	attrs    map[string]string
	children []*node
	text     strings.Builder
}

func (n *node) attr(name string) string { return n.attrs[name] }

// child is the first child element named name, or nil.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// childText is the trimmed text of the first child named name.
func (n *node) childText(name string) string {
	if c := n.child(name); c != nil {
		return strings.TrimSpace(c.text.String())
	}
	return ""
}

// walk calls fn for n and every element below it, depth first; fn returns
// false to skip an element's children.
func (n *node) walk(fn func(*node) bool) {
	if fn(n) {
		for _, c := range n.children {
			c.walk(fn)
		}
	}
}

// maxDepth bounds nesting so a hostile file cannot exhaust the stack.
const maxDepth = 256

// readXML reads a document into a tree of elements (local names, namespaces
// dropped) and checks that its root is one of roots.
func readXML(data []byte, roots ...string) (*node, error) {
	data, utf16 := fromUTF16(data)
	var charsetErr error
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		r, err := charsetReader(label, in, utf16)
		charsetErr = err
		return r, err
	}
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && charsetErr != nil {
			return nil, charsetErr
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, fmt.Errorf("line %d: %s", se.Line, se.Msg)
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("line %d: elements are nested more than %d deep", line(dec, data), maxDepth)
			}
			n := &node{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("the file holds no XML element")
	}
	for _, r := range roots {
		if root.name == r {
			return root, nil
		}
	}
	return nil, fmt.Errorf("the root element is <%s>, expected <%s>", root.name, strings.Join(roots, "> or <"))
}

func line(dec *xml.Decoder, data []byte) int {
	off := dec.InputOffset()
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// charsetReader decodes a report whose XML declaration names an encoding
// other than UTF-8 (encoding="ISO-8859-1", "windows-1252", "UTF-16"), as
// an XML parser must: any IANA name is read. utf16 says the file was a
// UTF-16 one, already turned into UTF-8.
func charsetReader(label string, in io.Reader, utf16 bool) (io.Reader, error) {
	if utf16 && strings.HasPrefix(strings.ToUpper(label), "UTF-16") {
		return in, nil
	}
	enc, err := ianaindex.IANA.Encoding(label)
	if err != nil || enc == nil {
		return nil, fmt.Errorf("the XML declaration names the encoding %q, which is not one pipeform can read; write the report in UTF-8", label)
	}
	return enc.NewDecoder().Reader(in), nil
}

// fromUTF16 turns a file that starts with a UTF-16 byte order mark into
// UTF-8 (Windows tools write such reports); other files are returned as
// they are.
func fromUTF16(data []byte) ([]byte, bool) {
	if !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return data, false
	}
	out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
	if err != nil {
		return data, false
	}
	return out, true
}
