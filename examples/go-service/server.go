package main

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// health is the body of GET /healthz.
type health struct {
	Status  string `json:"status"`
	Version string `json:"version"`
	Region  string `json:"region"`
}

// newServer returns the service's routes.
func newServer(version, region string) http.Handler {
	if region == "" {
		region = "local"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(health{Status: "ok", Version: version, Region: region})
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "goservice %s in %s\n", version, region)
	})
	return mux
}

// checkHealth asks base + "/healthz" and fails unless the service is ok.
func checkHealth(base string) error {
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var h health
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		return fmt.Errorf("decoding /healthz: %v", err)
	}
	if resp.StatusCode != http.StatusOK || h.Status != "ok" {
		return fmt.Errorf("/healthz answered %d %q", resp.StatusCode, h.Status)
	}
	return nil
}
