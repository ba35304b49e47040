module github.com/dmpgen/dmpgen

go 1.26

require (
	github.com/beevik/etree v1.8.1
	github.com/miekg/pkcs11 v1.1.2
	github.com/russellhaering/goxmldsig v1.6.1
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.2
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/jonboulle/clockwork v0.5.0 // indirect
	github.com/kr/text v0.2.0 // indirect
	github.com/rogpeppe/go-internal v1.16.0 // indirect
	golang.org/x/text v0.14.0 // indirect
)
