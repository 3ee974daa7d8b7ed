package wire

import (
	"fmt"
	"net/url"

	"github.com/deltacloud-go/deltacloud"
)

// Image is the image document:
//
//	<image href='{B}/images/img1' id='img1'>
//	  <name>img1</name><description>Fedora 10</description>
//	  <owner_id>fedoraproject</owner_id><architecture>x86_64</architecture>
//	  <state>AVAILABLE</state>                                  <!-- if set -->
//	  <creation_time>Thu Oct 25 14:27:53 CEST 2012</creation_time> <!-- if set -->
//	  <hardware_profiles>…</hardware_profiles>                  <!-- if set -->
//	  <root_type>transient</root_type>
//	  <actions><link href='{B}/instances;image_id=img1' method='post' rel='create_instance' />…</actions>
//	</image>
type Image struct {
	XMLName          struct{}       `xml:"image"`
	Href             string         `xml:"href,attr"`
	ID               string         `xml:"id,attr"`
	Name             string         `xml:"name"`
	Description      string         `xml:"description"`
	OwnerID          string         `xml:"owner_id"`
	Architecture     string         `xml:"architecture"`
	State            string         `xml:"state,omitempty"`
	CreationTime     string         `xml:"creation_time,omitempty"`
	HardwareProfiles *ImageProfiles `xml:"hardware_profiles"`
	RootType         string         `xml:"root_type"`
	Actions          Actions        `xml:"actions"`
}

// Declared reports that the image document has an XML declaration.
func (Image) Declared() bool { return true }

// ImageProfiles lists the hardware profiles an image runs on.
type ImageProfiles struct {
	Profiles []RelRef `xml:"hardware_profile"`
}

// Images is the image index document.
type Images struct {
	XMLName struct{} `xml:"images"`
	Images  []Image  `xml:"image"`
}

// Declared reports that the image index has an XML declaration.
func (Images) Declared() bool { return true }

// The image action link rels.
const (
	RelCreateInstance = "create_instance"
	RelDestroyImage   = "destroy_image"
)

// ImageOptions says which action links an image document carries; they
// depend on the driver's capabilities, which the model's Image does not
// know.
type ImageOptions struct {
	// CreateInstance adds create_instance: POST {B}/instances;image_id=:id.
	CreateInstance bool
	// DestroyImage adds destroy_image: DELETE {B}/images/:id.
	DestroyImage bool
}

// DefaultRootType is the root type the original shows for images that do
// not state one.
const DefaultRootType = "transient"

// NewImage builds the document for img, with hrefs under base.
func NewImage(base string, img deltacloud.Image, opts ImageOptions) Image {
	d := Image{
		Href:         memberHref(base, "images", img.ID),
		ID:           img.ID,
		Name:         img.Name,
		Description:  img.Description,
		OwnerID:      img.Owner,
		Architecture: img.Architecture,
		State:        img.State,
		CreationTime: FormatTime(img.CreationTime),
		RootType:     img.RootType,
	}
	if d.RootType == "" {
		d.RootType = DefaultRootType
	}
	if img.HardwareProfiles != nil {
		d.HardwareProfiles = &ImageProfiles{Profiles: make([]RelRef, len(img.HardwareProfiles))}
		for i, id := range img.HardwareProfiles {
			d.HardwareProfiles.Profiles[i] = RelRef{Href: memberHref(base, "hardware_profiles", id), ID: id, Rel: "hardware_profile"}
		}
	}
	if opts.CreateInstance {
		d.Actions.Links = append(d.Actions.Links, Link{
			Href: collectionHref(base, "instances") + ";image_id=" + url.PathEscape(img.ID), Method: "post", Rel: RelCreateInstance})
	}
	if opts.DestroyImage {
		d.Actions.Links = append(d.Actions.Links, Link{Href: d.Href, Method: "delete", Rel: RelDestroyImage})
	}
	return d
}

// NewImages builds the index document.
func NewImages(base string, imgs []deltacloud.Image, opts ImageOptions) Images {
	d := Images{Images: make([]Image, len(imgs))}
	for i, img := range imgs {
		d.Images[i] = NewImage(base, img, opts)
	}
	return d
}

// DecodeImage reads an image document.
func DecodeImage(data []byte) (*Image, error) { return decode[Image](data) }

// DecodeImages reads an image index document.
func DecodeImages(data []byte) (*Images, error) { return decode[Images](data) }

// Model converts the document into the model. A missing root type is
// DefaultRootType, as the original defaults it. A creation time ParseTime
// cannot read is an error. The action links stay in the document (see
// Actions.Find).
func (d *Image) Model() (deltacloud.Image, error) {
	img := deltacloud.Image{
		ID:           text(d.ID),
		Name:         text(d.Name),
		Description:  text(d.Description),
		Owner:        text(d.OwnerID),
		Architecture: text(d.Architecture),
		State:        text(d.State),
		RootType:     text(d.RootType),
	}
	if img.RootType == "" {
		img.RootType = DefaultRootType
	}
	t, err := ParseTime(d.CreationTime)
	if err != nil {
		return deltacloud.Image{}, fmt.Errorf("wire: image %q: creation_time: %w", img.ID, err)
	}
	img.CreationTime = t
	if d.HardwareProfiles != nil {
		img.HardwareProfiles = make([]string, len(d.HardwareProfiles.Profiles))
		for i, r := range d.HardwareProfiles.Profiles {
			img.HardwareProfiles[i] = text(r.ID)
		}
	}
	return img, nil
}

// Model converts the index into the model.
func (d *Images) Model() ([]deltacloud.Image, error) {
	out := make([]deltacloud.Image, len(d.Images))
	for i := range d.Images {
		img, err := d.Images[i].Model()
		if err != nil {
			return nil, err
		}
		out[i] = img
	}
	return out, nil
}

// ImageJSON is the image's JSON form. Note "owner", where the XML has
// owner_id, and no actions.
type ImageJSON struct {
	ID               string     `json:"id"`
	Href             string     `json:"href"`
	Name             string     `json:"name"`
	Description      NullString `json:"description"`
	Owner            string     `json:"owner"`
	Architecture     string     `json:"architecture"`
	State            string     `json:"state,omitempty"`
	RootType         string     `json:"root_type"`
	CreationTime     string     `json:"creation_time,omitempty"`
	HardwareProfiles []RefJSON  `json:"hardware_profiles,omitempty"`
}

// ImagesJSON is the index's JSON form, {"images":[…]}.
type ImagesJSON struct {
	Images []ImageJSON `json:"images"`
}

// ImageShowJSON is the show JSON form, {"image":{…}}.
type ImageShowJSON struct {
	Image ImageJSON `json:"image"`
}

// JSON returns the image's JSON form.
func (d Image) JSON() ImageJSON {
	j := ImageJSON{
		ID: d.ID, Href: d.Href, Name: d.Name, Description: NullString(d.Description), Owner: d.OwnerID,
		Architecture: d.Architecture, State: d.State, RootType: d.RootType, CreationTime: d.CreationTime,
	}
	if d.HardwareProfiles != nil {
		j.HardwareProfiles = make([]RefJSON, len(d.HardwareProfiles.Profiles))
		for i, r := range d.HardwareProfiles.Profiles {
			j.HardwareProfiles[i] = RefJSON{ID: r.ID, Href: r.Href, Rel: r.Rel}
		}
	}
	return j
}

// ShowJSON returns the show JSON form.
func (d Image) ShowJSON() ImageShowJSON { return ImageShowJSON{Image: d.JSON()} }

// JSON returns the index's JSON form.
func (d Images) JSON() ImagesJSON {
	j := ImagesJSON{Images: make([]ImageJSON, len(d.Images))}
	for i, img := range d.Images {
		j.Images[i] = img.JSON()
	}
	return j
}
