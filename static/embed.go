// Package static is chainscope's web app: plain ES modules, one stylesheet
// and index.html, with no build step and nothing fetched from other
// sites, embedded into the binary. server.Config.Static serves FS; the
// server answers unknown non-API paths with index.html so the app's deep
// links (/panorama?area=…&chain=…) load it.
//
// Layout: app.js is the shell and router wiring; api.js, router.js,
// i18n.js (every text, Chinese and English side by side), dom.js (the one
// path text takes onto the page), meta.js, chart.js and download.js are
// shared; views/ holds one module per view.
package static

import (
	"embed"
	"io/fs"
)

//go:embed index.html app.css favicon.svg *.js views/*.js
var files embed.FS

// FS holds the web app with index.html at its root.
var FS fs.FS = files
