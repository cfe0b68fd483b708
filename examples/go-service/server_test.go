package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHealthz(t *testing.T) {
	srv := httptest.NewServer(newServer("1.2.3", "eu-west-1"))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got health
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := health{Status: "ok", Version: "1.2.3", Region: "eu-west-1"}
	if got != want {
		t.Errorf("GET /healthz = %+v, want %+v", got, want)
	}
}

func TestRoot(t *testing.T) {
	rec := httptest.NewRecorder()
	newServer("1.2.3", "").ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	body, _ := io.ReadAll(rec.Body)
	if got, want := string(body), "goservice 1.2.3 in local\n"; got != want {
		t.Errorf("GET / = %q, want %q", got, want)
	}
}

func TestUnknownPath(t *testing.T) {
	rec := httptest.NewRecorder()
	newServer("1.2.3", "").ServeHTTP(rec, httptest.NewRequest("GET", "/nope", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET /nope = %d, want 404", rec.Code)
	}
}

func TestSelfCheck(t *testing.T) {
	if err := selfCheck(newServer("1.2.3", "")); err != nil {
		t.Fatal(err)
	}
}
