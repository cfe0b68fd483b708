// Command goservice is a tiny HTTP service that reports which AWS Region it
// runs in. It is the application of pipeform's go-service example.
//
//	goservice            serve on $PORT (default 8080)
//	goservice -check     start on a free port, check /healthz, exit 0 or 1
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	check := flag.Bool("check", false, "start on a free port, check /healthz and exit")
	flag.Parse()
	srv := newServer(version, os.Getenv("AWS_REGION"))
	if *check {
		if err := selfCheck(srv); err != nil {
			fmt.Fprintln(os.Stderr, "unhealthy:", err)
			os.Exit(1)
		}
		fmt.Printf("healthy: goservice %s\n", version)
		return
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	log.Printf("goservice %s listening on :%s", version, port)
	log.Fatal(http.ListenAndServe(":"+port, srv))
}

// selfCheck serves srv on a free loopback port and asks it for /healthz.
func selfCheck(srv http.Handler) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	go http.Serve(ln, srv)
	return checkHealth("http://" + ln.Addr().String())
}
