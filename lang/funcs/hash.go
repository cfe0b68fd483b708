package funcs

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"

	"github.com/zclconf/go-cty/cty/function"
)

// MD5Func returns the hex MD5 digest of a string's UTF-8 bytes.
var MD5Func = hashFunc("Returns the MD5 digest of str as 32 hex digits.", md5.New)

// SHA1Func returns the hex SHA-1 digest of a string's UTF-8 bytes.
var SHA1Func = hashFunc("Returns the SHA-1 digest of str as 40 hex digits.", sha1.New)

// SHA256Func returns the hex SHA-256 digest of a string's UTF-8 bytes.
var SHA256Func = hashFunc("Returns the SHA-256 digest of str as 64 hex digits.", sha256.New)

// SHA512Func returns the hex SHA-512 digest of a string's UTF-8 bytes.
var SHA512Func = hashFunc("Returns the SHA-512 digest of str as 128 hex digits.", sha512.New)

func hashFunc(desc string, h func() hash.Hash) function.Function {
	return stringToString(desc, func(s string) (string, error) {
		return hexDigest(h, []byte(s)), nil
	})
}

// hexDigest hashes b and returns the digest in lower-case hex.
func hexDigest(h func() hash.Hash, b []byte) string {
	d := h()
	d.Write(b)
	return hex.EncodeToString(d.Sum(nil))
}
