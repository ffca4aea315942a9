// Command bareserver is the yardstick of bench/http.sh: the least a Go HTTP
// server can do to answer, net/http alone, every request answered with the
// bytes of one file (the analysis JSON chainscope serves), read once at start.
//
//	bareserver -addr 127.0.0.1:8081 -file analysis.json
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "listen address")
	file := flag.String("file", "", "file whose bytes every request gets")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	length := strconv.Itoa(len(body))
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"application/json; charset=utf-8"}
		h["Content-Length"] = []string{length}
		w.Write(body)
	})))
}
