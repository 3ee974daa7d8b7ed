// Package loadtest measures the REST handler's throughput as a separate
// client sees it: its tests build examples/server (the mock driver), a bare
// net/http server answering the same bytes (./bare) and a keep-alive load
// generator (./loadgen), run each as its own process on 127.0.0.1, and
// report requests per second for both servers, their ratio, and each
// server's CPU time per request (from /proc):
//
//	go test -run '^$' -bench . -benchtime 40000x ./internal/loadtest
//
// Flags -loadtest.conns (default 4) and -loadtest.rounds (default 4, the
// runs alternate between the two servers so that a change in the
// machine's load hits both) tune the load. The package holds no code of
// its own beyond the two commands; it exists for its tests.
package loadtest
