package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

func (c *cli) bucketsCommand() *cobra.Command {
	var spec deltacloud.BucketSpec
	create := &cobra.Command{
		Use: "create NAME", Short: "Create a bucket", Args: exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec.Name = args[0]
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				b, err := p.CreateBucket(ctx, spec)
				if err != nil {
					return err
				}
				return c.printBuckets([]deltacloud.Bucket{*b}, true)
			})
		},
	}
	create.Flags().StringVar(&spec.Location, "location", "", "where the cloud keeps it")
	return collectionCommand("buckets", "Buckets: object storage containers", []string{"bucket"},
		lister(c, "List buckets", (*deltacloud.Provider).Buckets, c.printBuckets),
		shower(c, "show BUCKET", "Show one bucket and its blob ids", (*deltacloud.Provider).Bucket, c.printBuckets),
		create,
		c.destroyer("bucket", "destroy BUCKET", "Destroy an empty bucket", (*deltacloud.Provider).DestroyBucket),
	)
}

func (c *cli) printBuckets(bs []deltacloud.Bucket, one bool) error {
	pr, _ := c.printer()
	t := table{header: []string{"ID", "NAME", "LOCATION", "BLOBS"}}
	for _, b := range bs {
		t.add(b.ID, b.Name, b.Location, strconv.Itoa(b.Size))
	}
	if one {
		return pr.print(t, wire.NewBucket("", bs[0]).ShowJSON())
	}
	return pr.print(t, wire.NewBuckets("", bs).JSON())
}

func (c *cli) blobsCommand() *cobra.Command {
	var (
		spec     deltacloud.BlobSpec
		metadata []string
		out      string
	)
	put := &cobra.Command{
		Use: "put BUCKET FILE", Short: "Upload a file (- for standard input) as a blob, streamed", Args: exactArgs("BUCKET", "FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			meta, err := parseOptions(metadata)
			if err != nil {
				return err
			}
			spec.Metadata = meta
			var r io.Reader = c.stdin
			if args[1] != "-" {
				f, err := os.Open(args[1])
				if err != nil {
					return usagef("%v", err)
				}
				defer f.Close()
				st, err := f.Stat()
				if err != nil {
					return err
				}
				spec.Size, r = st.Size(), f
				if spec.ID == "" {
					spec.ID = filepath.Base(args[1])
				}
				if spec.ContentType == "" {
					spec.ContentType = mime.TypeByExtension(filepath.Ext(args[1]))
				}
			}
			if spec.ID == "" {
				return usagef("a blob from standard input needs --name")
			}
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				bar := c.progressBar("put "+spec.ID, spec.Size)
				b, err := p.PutBlob(ctx, args[0], spec, &countingReader{r: r, add: bar.add})
				bar.done(err)
				if err != nil {
					return err
				}
				return c.printBlob(*b)
			})
		},
	}
	put.Flags().StringVar(&spec.ID, "name", "", "blob id (default: the file's name)")
	put.Flags().StringVar(&spec.ContentType, "content-type", "", "content type (default: from the file's extension)")
	put.Flags().StringArrayVar(&metadata, "metadata", nil, "metadata key=value (repeatable)")
	get := &cobra.Command{
		Use: "get BUCKET BLOB", Short: "Download a blob to standard output or --output-file", Args: exactArgs("BUCKET", "BLOB"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				return c.getBlob(ctx, p, args[0], args[1], out)
			})
		},
	}
	get.Flags().StringVar(&out, "output-file", "", "write to this file instead of standard output (removed again if the download fails)")
	show := &cobra.Command{
		Use: "show BUCKET BLOB", Short: "Show a blob's attributes and metadata", Args: exactArgs("BUCKET", "BLOB"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				b, err := p.Blob(ctx, args[0], args[1])
				if err != nil {
					return err
				}
				return c.printBlob(*b)
			})
		},
	}
	destroy := &cobra.Command{
		Use: "destroy BUCKET BLOB", Short: "Destroy a blob", Args: exactArgs("BUCKET", "BLOB"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				if err := p.DestroyBlob(ctx, args[0], args[1]); err != nil {
					return err
				}
				return c.destroyed("blob", args[1])
			})
		},
	}
	return collectionCommand("blobs", "Blobs: objects in buckets (list them with `buckets show`)", []string{"blob"}, put, get, show, destroy)
}

// getBlob streams a blob to out (a file, created only for a complete
// download) or to stdout.
func (c *cli) getBlob(ctx context.Context, p *deltacloud.Provider, bucket, blob, out string) (err error) {
	b, rc, err := p.BlobContent(ctx, bucket, blob)
	if err != nil {
		return err
	}
	defer rc.Close()
	w := c.stdout
	if out != "" {
		f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = os.Rename(f.Name(), out)
			}
			if err != nil {
				os.Remove(f.Name())
			}
		}()
		w = f
	}
	bar := c.progressBar("get "+blob, b.ContentLength)
	_, err = io.Copy(w, &countingReader{r: rc, add: bar.add})
	bar.done(err)
	return err
}

func (c *cli) printBlob(b deltacloud.Blob) error {
	pr, _ := c.printer()
	t := table{header: []string{"ID", "BUCKET", "SIZE", "CONTENT TYPE", "MODIFIED"}}
	mod := ""
	if !b.LastModified.IsZero() {
		mod = b.LastModified.UTC().Format(time.RFC3339)
	}
	t.add(b.ID, b.BucketID, strconv.FormatInt(b.ContentLength, 10), b.ContentType, mod)
	return pr.print(t, wire.NewBlob("", b).ShowJSON())
}

// countingReader reports the bytes read through it.
type countingReader struct {
	r   io.Reader
	add func(int)
}

func (r *countingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.add(n)
	return n, err
}

// progress is a transfer's bar on a terminal's stderr, redrawn at most ten
// times a second; elsewhere it prints nothing.
type progress struct {
	c          *cli
	label      string
	total, n   int64
	lastDrawn  time.Time
	everDrawn  bool
	drawPeriod time.Duration
}

func (c *cli) progressBar(label string, total int64) *progress {
	return &progress{c: c, label: label, total: total, drawPeriod: 100 * time.Millisecond}
}

func (b *progress) add(n int) {
	b.n += int64(n)
	if !b.c.terminal || time.Since(b.lastDrawn) < b.drawPeriod {
		return
	}
	b.lastDrawn, b.everDrawn = time.Now(), true
	fmt.Fprintf(b.c.stderr, "\r\033[K%s %s", b.label, bar(b.n, b.total))
}

// done clears the bar.
func (b *progress) done(err error) {
	if b.everDrawn {
		fmt.Fprint(b.c.stderr, "\r\033[K")
	}
	if err != nil && errors.Is(err, context.Canceled) && b.c.terminal {
		fmt.Fprintf(b.c.stderr, "%s: stopped after %d bytes\n", b.label, b.n)
	}
}

// bar draws n of total as "[#####     ]  52% 5.2 MiB" (without a total,
// just the count).
func bar(n, total int64) string {
	mib := fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	if total <= 0 {
		return mib
	}
	const width = 30
	filled := int(min(n, total) * width / total)
	s := "["
	for i := range width {
		if i < filled {
			s += "#"
		} else {
			s += " "
		}
	}
	return fmt.Sprintf("%s] %3d%% %s", s, min(n, total)*100/total, mib)
}

func (c *cli) metricsCommand() *cobra.Command {
	return collectionCommand("metrics", "Metrics: instances' monitoring samples", []string{"metric"},
		lister(c, "List the metrics of the instances", (*deltacloud.Provider).Metrics, c.printMetrics),
		shower(c, "show METRIC", "Show a metric's recent samples", (*deltacloud.Provider).Metric, c.printMetrics),
	)
}

func (c *cli) printMetrics(ms []deltacloud.Metric, one bool) error {
	pr, _ := c.printer()
	t := table{header: []string{"ID", "ENTITY", "PROPERTY", "TIME", "AVERAGE", "MIN", "MAX", "UNIT"}}
	for _, m := range ms {
		if len(m.Properties) == 0 {
			t.add(m.ID, m.Entity, "", "", "", "", "", "")
		}
		for _, pr := range m.Properties {
			if len(pr.Samples) == 0 {
				t.add(m.ID, m.Entity, pr.Name, "", "", "", "", "")
			}
			for _, s := range pr.Samples {
				f := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
				t.add(m.ID, m.Entity, pr.Name, s.Timestamp.UTC().Format(time.RFC3339), f(s.Average), f(s.Minimum), f(s.Maximum), s.Unit)
			}
		}
	}
	if one {
		return pr.print(t, wire.NewMetric("", ms[0]).ShowJSON())
	}
	return pr.print(t, wire.NewMetrics("", ms).JSON())
}
