package openstacktest

import "net/http"

// swift is the fake's object storage.
type swift struct{}

func newSwift() *swift { return &swift{} }

func (s *swift) serve(w http.ResponseWriter, r *http.Request, path string) {
	http.Error(w, "<html><h1>Not Found</h1><p>The resource could not be found.</p></html>", http.StatusNotFound)
}
