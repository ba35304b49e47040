package testenv

import (
	"bytes"
	"encoding/json"
	"os"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// ValidateYAML validates a YAML document against the JSON Schema in
// schemaFile, whose $id is id, with github.com/santhosh-tekuri/jsonschema
// (all of draft 2020-12, in Go: the check runs in every go test).
func ValidateYAML(schemaFile, id string, text []byte) error {
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, doc); err != nil {
		return err
	}
	sch, err := c.Compile(id)
	if err != nil {
		return err
	}
	var v any
	if err := yaml.Unmarshal(text, &v); err != nil {
		return err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}
