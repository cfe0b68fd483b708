package codepipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/google/go-cmp/cmp"

	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/codepipeline"
	"github.com/pipeform/pipeform/targets/codepipeline/codepipelinetest"
)

// The official SDK, an independent implementation of the same API model,
// must send exactly the document pipeform writes: the document is loaded
// into the SDK's CreatePipelineInput (every member must exist there), the
// request body the SDK would send is captured, and both are compared.
func TestSDKSendsTheSameDocument(t *testing.T) {
	files, diags := codepipeline.New().Emit(codepipelinetest.Graph(), targets.Options{Region: "eu-west-1"})
	if len(files) == 0 {
		t.Fatal(diags)
	}
	providers := codepipelinetest.Providers()
	providers.Pipelines[0].RoleARN = "arn:aws:iam::111122223333:role/providers-pipeline"
	more, diags := codepipeline.New().Emit(providers, targets.Options{})
	if len(more) == 0 {
		t.Fatal(diags)
	}
	for _, f := range append(files, more...) {
		t.Run(f.Path, func(t *testing.T) { checkSDK(t, f.Data) })
	}
}

func checkSDK(t *testing.T, data []byte) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	in := &sdk.CreatePipelineInput{}
	if err := fill(reflect.ValueOf(in).Elem(), doc, "$"); err != nil {
		t.Fatal(err)
	}
	capture := &captureClient{}
	client := sdk.New(sdk.Options{
		Region:           "eu-west-1",
		Credentials:      aws.AnonymousCredentials{},
		BaseEndpoint:     aws.String("http://127.0.0.1:9"),
		HTTPClient:       capture,
		RetryMaxAttempts: 1,
	})
	if _, err := client.CreatePipeline(context.Background(), in); !errors.Is(err, errCaptured) {
		t.Fatalf("CreatePipeline: %v (want the captured request)", err)
	}
	var sent map[string]any
	if err := json.Unmarshal(capture.body, &sent); err != nil {
		t.Fatalf("request body: %v\n%s", err, capture.body)
	}
	if diff := cmp.Diff(doc, sent); diff != "" {
		t.Errorf("the SDK would send something else (-pipeform +sdk):\n%s", diff)
	}
	if got := capture.target; got != "CodePipeline_20150709.CreatePipeline" {
		t.Errorf("X-Amz-Target = %q", got)
	}
}

var errCaptured = errors.New("request captured")

type captureClient struct {
	body   []byte
	target string
}

func (c *captureClient) Do(r *http.Request) (*http.Response, error) {
	c.target = r.Header.Get("X-Amz-Target")
	var err error
	if c.body, err = io.ReadAll(r.Body); err != nil {
		return nil, err
	}
	return nil, errCaptured
}

// fill sets dst (an SDK value) from decoded JSON, matching member names
// case-insensitively; a member the SDK does not have is an error.
func fill(dst reflect.Value, src any, path string) error {
	switch dst.Kind() {
	case reflect.Pointer:
		v := reflect.New(dst.Type().Elem())
		if err := fill(v.Elem(), src, path); err != nil {
			return err
		}
		dst.Set(v)
	case reflect.Struct:
		obj, ok := src.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want an object", path)
		}
		for k, v := range obj {
			f := dst.FieldByNameFunc(func(name string) bool { return strings.EqualFold(name, k) })
			if !f.IsValid() || !f.CanSet() {
				return fmt.Errorf("%s: the SDK's %s has no member %q", path, dst.Type().Name(), k)
			}
			if err := fill(f, v, path+"."+k); err != nil {
				return err
			}
		}
	case reflect.Slice:
		arr, ok := src.([]any)
		if !ok {
			return fmt.Errorf("%s: want a list", path)
		}
		s := reflect.MakeSlice(dst.Type(), len(arr), len(arr))
		for i, e := range arr {
			if err := fill(s.Index(i), e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		dst.Set(s)
	case reflect.Map:
		obj, ok := src.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want a map", path)
		}
		m := reflect.MakeMap(dst.Type())
		for k, e := range obj {
			v := reflect.New(dst.Type().Elem()).Elem()
			if err := fill(v, e, path+"."+k); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(dst.Type().Key()), v)
		}
		dst.Set(m)
	case reflect.String:
		s, ok := src.(string)
		if !ok {
			return fmt.Errorf("%s: want a string", path)
		}
		dst.SetString(s)
	case reflect.Int32, reflect.Int64, reflect.Int:
		n, ok := src.(float64)
		if !ok {
			return fmt.Errorf("%s: want a number", path)
		}
		dst.SetInt(int64(n))
	case reflect.Bool:
		b, ok := src.(bool)
		if !ok {
			return fmt.Errorf("%s: want a boolean", path)
		}
		dst.SetBool(b)
	default:
		return fmt.Errorf("%s: unsupported SDK kind %s", path, dst.Kind())
	}
	return nil
}
