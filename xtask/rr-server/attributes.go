package main

import (
	"net/http"

	"github.com/roadrunner-server/http/v5/attributes"
)

// testAttributes is an HTTP middleware for rr-rs's end-to-end tests. Listed in
// `http.middleware: ["rr_rs_test_attributes"]`, it attaches attributes to every request the
// way a real RoadRunner middleware does, so the worker side of attributes can be tested.
// Unlisted, it does nothing.
type testAttributes struct{}

// Init is called by endure; the plugin needs no configuration.
func (t *testAttributes) Init() error { return nil }

// Name is the name used in `http.middleware`.
func (t *testAttributes) Name() string { return "rr_rs_test_attributes" }

// Middleware sets `tenant` once and `role` twice (attributes hold lists of values).
func (t *testAttributes) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = attributes.Init(r)
		_ = attributes.Set(r, "tenant", "acme")
		_ = attributes.Set(r, "role", "admin")
		_ = attributes.Set(r, "role", "dev")
		next.ServeHTTP(w, r)
	})
}
