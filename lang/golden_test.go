package lang

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/pipeform/pipeform/lang/langtest"
)

// TestGolden compares the decoded configuration of every valid fixture with
// testdata/golden/<fixture>.json (source ranges left out); refresh with
// go test ./lang -update.
func TestGolden(t *testing.T) {
	for _, path := range langtest.Fixtures(t, "testdata/valid") {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			res, _ := Load(langtest.FixtureFS(t, path), Options{})
			got, err := json.MarshalIndent(dump(reflect.ValueOf(res.Config)), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".pf.hcl")+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./lang -update)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

var (
	rangeType  = reflect.TypeOf(hcl.Range{})
	rangesType = reflect.TypeOf(map[string]hcl.Range{})
	valueType  = reflect.TypeOf(cty.Value{})
	typeType   = reflect.TypeOf(cty.Type{})
)

// dump turns a config value into plain JSON data: cty values as their JSON
// form, source ranges dropped, empty fields omitted.
func dump(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return dump(v.Elem())
	}
	switch v.Type() {
	case valueType:
		val := v.Interface().(cty.Value)
		if val == cty.NilVal {
			return nil
		}
		if !val.IsWhollyKnown() {
			return "(unknown)"
		}
		b, err := ctyjson.Marshal(val, val.Type())
		if err != nil {
			return err.Error()
		}
		return json.RawMessage(b)
	case typeType:
		return v.Interface().(cty.Type).FriendlyName()
	}
	switch v.Kind() {
	case reflect.Struct:
		out := map[string]any{}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if f.Type == rangeType || f.Type.String() == "config.Ranges" || f.Type == rangesType {
				continue
			}
			if f.Anonymous {
				if m, ok := dump(v.Field(i)).(map[string]any); ok {
					for k, x := range m {
						out[k] = x
					}
				}
				continue
			}
			if !v.Field(i).IsZero() {
				out[f.Name] = dump(v.Field(i))
			}
		}
		return out
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = dump(v.Index(i))
		}
		return out
	case reflect.Map:
		out := map[string]any{}
		for _, k := range v.MapKeys() {
			out[k.String()] = dump(v.MapIndex(k))
		}
		return out
	default:
		return v.Interface()
	}
}
