package render

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

const svgNS = "http://www.w3.org/2000/svg"

// safeElements are the elements every office suite draws as written.
var safeElements = map[string]bool{
	"svg": true, "g": true, "title": true, "desc": true, "rect": true, "path": true,
	"polygon": true, "polyline": true, "line": true, "circle": true, "ellipse": true, "text": true,
}

// bannedElements are refused by name, with the reason in the message.
var bannedElements = map[string]string{
	"style": "CSS", "script": "script", "foreignObject": "foreign content", "marker": "markers",
	"mask": "masks", "clipPath": "clip paths", "filter": "filters", "pattern": "patterns",
	"textPath": "text on a path", "symbol": "symbols", "use": "references", "image": "external images",
	"tspan": "tspan (one <text> per line)", "a": "links", "defs": "definitions",
	"linearGradient": "gradients", "radialGradient": "gradients",
}

// safeAttrs are the presentation and geometry attributes allowed.
var safeAttrs = map[string]bool{
	"id": true, "x": true, "y": true, "x1": true, "y1": true, "x2": true, "y2": true,
	"cx": true, "cy": true, "r": true, "rx": true, "ry": true, "width": true, "height": true,
	"viewBox": true, "d": true, "points": true, "version": true,
	"fill": true, "fill-opacity": true, "stroke": true, "stroke-width": true, "stroke-opacity": true,
	"stroke-dasharray": true, "stroke-linecap": true, "stroke-linejoin": true, "opacity": true,
	"font-family": true, "font-size": true, "font-weight": true, "text-anchor": true,
}

var (
	hexColour  = regexp.MustCompile(`^(none|#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6})$`)
	badValue   = regexp.MustCompile(`(?i)(rgba|hsla|rgb|hsl)\(|transparent|url\(|var\(|currentcolor|javascript:|expression\(`)
	numberList = regexp.MustCompile(`^[-0-9.eE ,]*$`)
)

// CheckSVG reports every construct of doc outside the subset that
// PowerPoint, WPS, Keynote, LibreOffice and Inkscape all render as written,
// or nil: a well-formed document whose root <svg> declares only the SVG
// namespace and has explicit width, height and viewBox; only the elements
// svg g title desc rect path polygon polyline line circle ellipse text; only
// presentation and geometry attributes (no style, class, href, marker, mask,
// clip-path, filter, dominant-baseline, event handlers or foreign
// namespaces); colours as hex or none (no rgba(), hsla(), transparent or
// url()); text elements holding one line of text and nothing else; no
// DOCTYPE, entity or stylesheet instruction. SVG output passes it; server
// and CLI tests can run it on what they serve.
func CheckSVG(doc []byte) error {
	var problems []string
	add := func(format string, args ...any) {
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	var stack []string
	root := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			add("not well-formed XML: %v", err)
			break
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			if t.Target != "xml" {
				add("processing instruction <?%s?>", t.Target)
			}
		case xml.Directive:
			add("directive <!%s>", firstWord(string(t)))
		case xml.StartElement:
			name := t.Name.Local
			if why, ok := bannedElements[name]; ok {
				add("element <%s> (%s) is not allowed", name, why)
			} else if !safeElements[name] {
				add("element <%s> is not in the safe subset", name)
			}
			if t.Name.Space != svgNS {
				add("element <%s> is outside the SVG namespace (%q)", name, t.Name.Space)
			}
			if len(stack) > 0 && stack[len(stack)-1] == "text" {
				add("element <%s> inside <text>: one plain line per <text>", name)
			}
			if len(stack) == 0 {
				if root || name != "svg" {
					add("root element must be a single <svg>")
				}
				root = true
				checkRoot(t, add)
			}
			for _, a := range t.Attr {
				checkAttr(name, a, len(stack) == 0, add)
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if !root {
		add("no <svg> root element")
	}
	if len(problems) == 0 {
		return nil
	}
	return errors.New("unsafe SVG: " + strings.Join(problems, "; "))
}

func checkRoot(t xml.StartElement, add func(string, ...any)) {
	has := map[string]string{}
	for _, a := range t.Attr {
		if a.Name.Space == "" {
			has[a.Name.Local] = a.Value
		}
	}
	for _, k := range []string{"width", "height", "viewBox"} {
		if has[k] == "" {
			add("root <svg> has no %s", k)
		}
	}
	if has["xmlns"] != svgNS {
		add("root <svg> must declare xmlns=%q", svgNS)
	}
}

func checkAttr(elem string, a xml.Attr, root bool, add func(string, ...any)) {
	local := a.Name.Local
	switch {
	case a.Name.Space == "xmlns" || (a.Name.Space == "" && local == "xmlns" && !root):
		add("namespace declaration %s on <%s>: only the root declares the SVG namespace", attrName(a), elem)
		return
	case a.Name.Space == "" && local == "xmlns":
		return
	case a.Name.Space != "":
		add("attribute %s on <%s> is in a foreign namespace", attrName(a), elem)
		return
	case strings.HasPrefix(strings.ToLower(local), "on"):
		add("event handler %s on <%s>", local, elem)
		return
	case local == "style" || local == "class" || local == "href" || strings.HasPrefix(local, "marker") ||
		local == "mask" || local == "clip-path" || local == "filter" || local == "dominant-baseline":
		add("attribute %s on <%s> is not allowed", local, elem)
		return
	case !safeAttrs[local]:
		add("attribute %s on <%s> is not in the safe subset", local, elem)
		return
	}
	v := a.Value
	if badValue.MatchString(v) && local != "id" {
		add("value %q of %s on <%s>: use hex colours and opacity attributes", v, local, elem)
	}
	switch local {
	case "fill", "stroke":
		if !hexColour.MatchString(v) {
			add("colour %q of %s on <%s>: hex or none only", v, local, elem)
		}
	case "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height",
		"viewBox", "points", "stroke-width", "font-size", "fill-opacity", "stroke-opacity", "opacity", "stroke-dasharray":
		if !numberList.MatchString(v) {
			add("value %q of %s on <%s> is not a plain number", v, local, elem)
		}
	}
}

func attrName(a xml.Attr) string {
	if a.Name.Space != "" {
		return a.Name.Space + ":" + a.Name.Local
	}
	return a.Name.Local
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return s
}
