package server

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"chainscope"
	"chainscope/dataset"
)

// Limits on what an uploaded archive (a zip of CSV files or an xlsx
// workbook, which is a zip too) may unpack to: a few hundred KiB of
// compressed CSV can otherwise expand to gigabytes.
const (
	maxUnpackedBytes = 1 << 30
	maxArchiveFiles  = 1000
)

// readBody reads the request body, refusing more than limit bytes (413).
func readBody(c *gin.Context, limit int64) ([]byte, error) {
	r := c.Request
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(c.Writer, r.Body, limit))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, tooLarge(limit)
	case err != nil:
		return nil, invalidErr("无法读取请求体：%v", "cannot read the request body: %v", err)
	}
	return buf.Bytes(), nil
}

func tooLarge(limit int64) error {
	return chainscope.Localizedf(eTooLarge, "请求体超过 %d MiB", "the request body is over %d MiB", limit>>20)
}

// upload is a dataset file as received: its bytes, the name problems call
// it by, and the Content-Type the client declared.
type upload struct {
	name        string
	contentType string
	data        []byte
}

// uploadOf takes the file out of a request body: the body itself, or the
// part named "file" (else the first file part) of a multipart form.
func uploadOf(body []byte, contentType, name string) (upload, error) {
	up := upload{name: name, contentType: contentType, data: body}
	media, params, _ := mime.ParseMediaType(contentType)
	if media != "multipart/form-data" {
		return up, nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var first *upload
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return up, invalidErr("表单格式错误：%v", "malformed multipart form: %v", err)
		}
		if part.FileName() == "" {
			continue
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return up, invalidErr("表单格式错误：%v", "malformed multipart form: %v", err)
		}
		u := upload{name: path.Base(part.FileName()), contentType: part.Header.Get("Content-Type"), data: data}
		if part.FormName() == "file" {
			return u, nil
		}
		if first == nil {
			first = &u
		}
	}
	if first == nil {
		return up, invalidErr("表单中没有文件（字段 \"file\"）", "the form holds no file (field \"file\")")
	}
	return *first, nil
}

// Upload formats.
const (
	formatJSON   = "json"
	formatXLSX   = "xlsx"
	formatCSVZip = "zip"
)

// sniffFormat tells the format of an upload by its first bytes, falling
// back on the declared Content-Type and the file name's extension: a zip
// holding xl/workbook.xml is a workbook, any other zip a folder of CSV
// files, a document starting with '{' JSON.
func sniffFormat(up upload) (string, error) {
	data := up.data
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")):
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return "", uploadProblem(up.name, "压缩文件已损坏 / damaged zip archive: %v", err)
		}
		if err := checkArchive(zr, up.name); err != nil {
			return "", err
		}
		for _, f := range zr.File {
			if f.Name == "xl/workbook.xml" {
				return formatXLSX, nil
			}
		}
		return formatCSVZip, nil
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")):
		return "", uploadProblem(up.name, "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx / legacy .xls is not supported; save as .xlsx")
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	media, _, _ := mime.ParseMediaType(up.contentType)
	if bytes.HasPrefix(trimmed, []byte("{")) || media == "application/json" || strings.HasSuffix(strings.ToLower(up.name), ".json") {
		return formatJSON, nil
	}
	return "", uploadProblem(up.name,
		"不支持的文件类型：请上传 JSON、.xlsx 或 CSV 文件的 .zip / unsupported file type: upload JSON, .xlsx or a .zip of CSV files")
}

// checkArchive refuses archives that unpack to more than the limits. The
// sizes are the ones the archive declares; archive/zip fails a file that
// unpacks to more than its declared size, so they bound the real work.
func checkArchive(zr *zip.Reader, name string) error {
	if len(zr.File) > maxArchiveFiles {
		return uploadProblem(name, "压缩文件内文件过多 (超过 %d 个) / the archive holds over %d files", maxArchiveFiles, maxArchiveFiles)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > maxUnpackedBytes {
			return uploadProblem(name, "压缩文件解压后超过 %d MiB / the archive unpacks to over %d MiB", maxUnpackedBytes>>20, maxUnpackedBytes>>20)
		}
	}
	return nil
}

// uploadProblem is an upload refused as a whole, reported as one problem
// naming the file, like the CLI import does.
func uploadProblem(name, format string, args ...any) error {
	return &chainscope.InvalidError{Problems: []chainscope.Problem{{File: name, Message: fmt.Sprintf(format, args...)}}}
}

// readUpload reads an uploaded dataset in any format SPEC §2–3 allows and
// says which format it was. The readers' problems come back with the
// records, to be checked with them (dataset.Check) so that the upload
// reports every problem at once, as the CLI import does; err is for an
// upload that is no dataset at all (not a format we read).
func readUpload(up upload) (recs *dataset.Records, format string, problems []chainscope.Problem, err error) {
	format, err = sniffFormat(up)
	if err != nil {
		return nil, "", nil, err
	}
	if up.name == "" {
		up.name = "upload." + format
	}
	switch format {
	case formatXLSX:
		recs, problems = dataset.ReadXLSXFrom(bytes.NewReader(up.data), up.name)
	case formatCSVZip:
		recs, problems = dataset.ReadCSVZip(bytes.NewReader(up.data), int64(len(up.data)), up.name)
	default:
		recs, problems = dataset.ReadJSON(bytes.NewReader(up.data), up.name)
	}
	if recs == nil {
		recs = &dataset.Records{}
	}
	return recs, format, problems, nil
}
