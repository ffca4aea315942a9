// dom.js — the one way this app puts text on the page.
//
// Every string reaches the document as a text node (createTextNode) or an
// attribute value (setAttribute), never as markup: nothing here parses
// HTML, so data from the API cannot become elements or scripts. The app
// never assigns innerHTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

// append adds children to node: strings and numbers as text nodes, nodes
// as they are, arrays flattened, null/undefined/false skipped.
function append(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(node, c);
    } else if (c instanceof Node) {
      node.appendChild(c);
    } else {
      node.appendChild(document.createTextNode(String(c)));
    }
  }
  return node;
}

// setProps applies props to an element: `class` (string or array),
// `dataset` (object), `on` (event name → handler), and any other key as an
// attribute (true → present, false/null → absent). Inline event-handler
// attributes and script URLs are refused: the CSP forbids them anyway,
// and refusing them here makes a mistake loud.
function setProps(el, props) {
  if (!props) {
    return;
  }
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k === 'class') {
      const list = Array.isArray(v) ? v.filter(Boolean) : String(v).split(/\s+/).filter(Boolean);
      el.classList.add(...list);
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'on') {
      for (const [ev, fn] of Object.entries(v)) {
        el.addEventListener(ev, fn);
      }
    } else if (k === 'value' && 'value' in el) {
      el.value = String(v);
    } else if (k === 'checked' || k === 'selected' || k === 'disabled') {
      el[k] = Boolean(v);
    } else {
      if (/^on/i.test(k)) {
        throw new Error(`dom: refusing event-handler attribute ${k}`);
      }
      const s = v === true ? '' : String(v);
      if ((k === 'href' || k === 'src') && /^\s*(javascript|data|vbscript):/i.test(s)) {
        throw new Error(`dom: refusing script URL in ${k}`);
      }
      el.setAttribute(k, s);
    }
  }
}

// h creates an HTML element: h('a', {href: '/x', class: 'link'}, 'text', child).
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  return append(el, children);
}

// svg creates an SVG element the same way (createElementNS): charts are
// built from these, never from markup.
export function svg(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setProps(el, props);
  return append(el, children);
}

// clear removes every child of node and returns it.
export function clear(node) {
  while (node.firstChild) {
    node.removeChild(node.firstChild);
  }
  return node;
}

// replace clears node and appends children.
export function replace(node, ...children) {
  return append(clear(node), children);
}

// setText sets the text of node (a text node, never markup).
export function setText(node, text) {
  node.textContent = text === null || text === undefined ? '' : String(text);
  return node;
}

// add appends children to node the way h does (text as text nodes,
// arrays flattened, null skipped) — unlike Element.append, which would
// write an array or null as text.
export function add(node, ...children) {
  return append(node, children);
}
