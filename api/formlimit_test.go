package api_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud/api"
)

// TestBlobFormFieldCap: a streamed blob form with more fields than
// api.MaxFormFields is refused with 400 as soon as the cap is passed (it
// once cost the square of the field count: 16,000 fields took 48 s), also
// with wrong credentials; a form under the cap still creates the blob.
func TestBlobFormFieldCap(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	form := func(fields int) (*bytes.Buffer, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("blob_id", "capped")
		for i := range fields {
			mw.WriteField(fmt.Sprintf("junk%d", i), "x")
		}
		fw, _ := mw.CreateFormFile("blob_data", "data.txt")
		fw.Write([]byte("hello"))
		mw.Close()
		return &b, mw.FormDataContentType()
	}
	for _, c := range []struct {
		name   string
		fields int
		creds  *tuCreds
		status int
	}{
		{"16,000 fields", 16000, tuMockUser, http.StatusBadRequest},
		{"16,000 fields, wrong password", 16000, tuBadPass, http.StatusBadRequest},
		{"just over the cap", api.MaxFormFields, tuMockUser, http.StatusBadRequest},
		{"under the cap", api.MaxFormFields - 2, tuMockUser, http.StatusCreated},
	} {
		t.Run(c.name, func(t *testing.T) {
			body, ct := form(c.fields)
			r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket1", Creds: c.creds,
				Body: body, ContentType: ct, Accept: "application/xml"})
			if r.Status != c.status {
				t.Fatalf("status %d, want %d\n%.500s", r.Status, c.status, r)
			}
			if c.status == http.StatusBadRequest && !strings.Contains(string(r.Body), "fields") {
				t.Errorf("the refusal does not say why:\n%s", r.Body)
			}
		})
	}
}
