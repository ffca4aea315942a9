// download.js — files the browser saves: the exact SVG, a PNG drawn from
// it, and CSV tables that Excel opens (UTF-8 with a byte-order mark).

// saveBlob offers blob as a download named filename.
export function saveBlob(blob, filename) {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started from the click; release the memory later.
  setTimeout(() => URL.revokeObjectURL(href), 60000);
}

// svgBlob wraps the SVG text as fetched: the same bytes the API served
// (its text was UTF-8, and a Blob encodes strings as UTF-8).
export function svgBlob(text) {
  return new Blob([text], {type: 'image/svg+xml'});
}

// pngBlob draws the SVG into a canvas at scale × its size on white and
// returns the PNG. The SVG carries its width and height; very large
// pictures are drawn at a smaller scale so the canvas stays in bounds.
export function pngBlob(text, scale = 2) {
  return new Promise((resolve, reject) => {
    const src = URL.createObjectURL(svgBlob(text));
    const img = new Image();
    img.onload = () => {
      try {
        const w = img.naturalWidth || 1200;
        const hgt = img.naturalHeight || 800;
        const s = Math.min(scale, 16000 / w, 16000 / hgt);
        const canvas = document.createElement('canvas');
        canvas.width = Math.max(1, Math.round(w * s));
        canvas.height = Math.max(1, Math.round(hgt * s));
        const g = canvas.getContext('2d');
        g.fillStyle = '#ffffff';
        g.fillRect(0, 0, canvas.width, canvas.height);
        g.drawImage(img, 0, 0, canvas.width, canvas.height);
        canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas.toBlob gave nothing'))), 'image/png');
      } catch (err) {
        reject(err);
      } finally {
        URL.revokeObjectURL(src);
      }
    };
    img.onerror = () => {
      URL.revokeObjectURL(src);
      reject(new Error('the SVG could not be drawn'));
    };
    img.src = src;
  });
}

// csvCell quotes one value for CSV. A value that a spreadsheet would read
// as a formula (= + - @ at the start) is prefixed with an apostrophe, so
// opening the file never runs anything.
function csvCell(v) {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) {
    s = "'" + s;
  }
  if (/[",\r\n]/.test(s)) {
    s = '"' + s.replace(/"/g, '""') + '"';
  }
  return s;
}

// csvBlob is rows (arrays of values, the first the header) as a CSV file
// Excel opens with Chinese intact: UTF-8 with BOM, CRLF line ends.
export function csvBlob(rows) {
  const text = rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return new Blob(['\ufeff' + text], {type: 'text/csv;charset=utf-8'});
}

// fileName makes a safe file name from parts.
export function fileName(parts, ext) {
  return parts.filter(Boolean).join('-').replace(/[\\/:*?"<>|\s]+/g, '_') + '.' + ext;
}
