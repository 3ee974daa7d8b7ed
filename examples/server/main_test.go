package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeAndShutdown starts the server on a free port, makes a real
// request, then stops it through its context and expects a clean exit.
func TestServeAndShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var logs bytes.Buffer
	go func() {
		done <- run(ctx, []string{"-r", "127.0.0.1", "-p", "0", "-storage", t.TempDir()}, &logs, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("server exited with %d before listening:\n%s", code, logs.String())
	case <-time.After(10 * time.Second):
		t.Fatal("server did not start within 10s")
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api;driver=mock/instances?format=json", nil)
	req.SetBasicAuth("mockuser", "mockpassword")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"id":"inst0"`) {
		t.Errorf("GET instances = %d %s", resp.StatusCode, body)
	}
	resp, err = http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET / = %d", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code %d after shutdown:\n%s", code, logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not shut down within 15s")
	}
}

func TestBadFlags(t *testing.T) {
	var out bytes.Buffer
	if code := run(t.Context(), []string{"-p", "70000"}, &out, nil); code != 2 {
		t.Errorf("-p 70000 exit %d, want 2", code)
	}
	if code := run(t.Context(), []string{"-nope"}, &out, nil); code != 2 {
		t.Errorf("-nope exit %d, want 2", code)
	}
}

// TestEC2WithoutCredentials: like the original, the server shows ec2's
// entry point and drivers without credentials (its collections and features
// are static), and opening it calls no AWS endpoint.
func TestEC2WithoutCredentials(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var logs bytes.Buffer
	go func() {
		done <- run(ctx, []string{"-r", "127.0.0.1", "-p", "0", "-storage", t.TempDir()}, &logs, ready)
	}()
	addr := <-ready
	resp, err := http.Get("http://" + addr + "/api;driver=ec2;provider=us-west-1?format=json")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"driver":"ec2"`) || !strings.Contains(string(body), `"name":"user_data"`) {
		t.Errorf("GET /api;driver=ec2 = %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("X-Deltacloud-Provider") != "us-west-1" {
		t.Errorf("X-Deltacloud-Provider = %q", resp.Header.Get("X-Deltacloud-Provider"))
	}
	cancel()
	<-done
}
