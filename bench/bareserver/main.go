// Command bareserver is the yardstick of bench/http.sh: the least a Go HTTP
// server can do to answer, net/http alone, every request answered with the
// bytes of one file (the analysis JSON chainscope serves), read once at start.
// With -like-serve it runs on the net/http server chainscope serve runs on
// (server.HTTPServer: the same timeouts and header limit), so that what
// those cost is told apart from what chainscope's handlers cost.
//
//	bareserver -addr 127.0.0.1:8081 -file analysis.json [-like-serve]
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"

	"chainscope/server"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "listen address")
	file := flag.String("file", "", "file whose bytes every request gets")
	likeServe := flag.Bool("like-serve", false, "run on chainscope serve's net/http server (its timeouts)")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	length := strconv.Itoa(len(body))
	handler := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"application/json; charset=utf-8"}
		h["Content-Length"] = []string{length}
		w.Write(body)
	})
	if *likeServe {
		srv := server.HTTPServer(handler)
		srv.Addr = *addr
		log.Fatal(srv.ListenAndServe())
	}
	log.Fatal(http.ListenAndServe(*addr, handler))
}
