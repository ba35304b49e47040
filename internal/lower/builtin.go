package lower

import "github.com/dmpgen/dmpgen/internal/ir"

// Runtime import paths used by generated code.
const (
	xsdtPath    = "github.com/dmpgen/dmpgen/runtime/xsdt"
	xmltextPath = "github.com/dmpgen/dmpgen/runtime/xmltext"
)

// builtinGo maps XSD built-in simple types to their Go representation.
// Lexical forms of decimals, unbounded integers and date/time values are kept
// by the xsdt types; bounded integers, booleans and floats use Go types.
var builtinGo = map[string]ir.GoType{
	"anySimpleType":      {Ident: ir.Ident{Name: "string"}},
	"string":             {Ident: ir.Ident{Name: "string"}},
	"normalizedString":   {Ident: ir.Ident{Name: "string"}},
	"token":              {Ident: ir.Ident{Name: "string"}},
	"language":           {Ident: ir.Ident{Name: "string"}},
	"Name":               {Ident: ir.Ident{Name: "string"}},
	"NCName":             {Ident: ir.Ident{Name: "string"}},
	"NMTOKEN":            {Ident: ir.Ident{Name: "string"}},
	"ID":                 {Ident: ir.Ident{Name: "string"}},
	"IDREF":              {Ident: ir.Ident{Name: "string"}},
	"ENTITY":             {Ident: ir.Ident{Name: "string"}},
	"NOTATION":           {Ident: ir.Ident{Name: "string"}},
	"anyURI":             {Ident: ir.Ident{Name: "string"}},
	"boolean":            {Ident: ir.Ident{Name: "bool"}},
	"float":              {Ident: ir.Ident{Name: "float32"}, Bits: 32},
	"double":             {Ident: ir.Ident{Name: "float64"}, Bits: 64},
	"decimal":            {Ident: ir.Ident{ImportPath: xsdtPath, Name: "Decimal"}},
	"integer":            {Ident: ir.Ident{ImportPath: xsdtPath, Name: "Integer"}},
	"nonNegativeInteger": {Ident: ir.Ident{ImportPath: xsdtPath, Name: "Integer"}},
	"positiveInteger":    {Ident: ir.Ident{ImportPath: xsdtPath, Name: "Integer"}},
	"nonPositiveInteger": {Ident: ir.Ident{ImportPath: xsdtPath, Name: "Integer"}},
	"negativeInteger":    {Ident: ir.Ident{ImportPath: xsdtPath, Name: "Integer"}},
	"long":               {Ident: ir.Ident{Name: "int64"}, Bits: 64},
	"int":                {Ident: ir.Ident{Name: "int32"}, Bits: 32},
	"short":              {Ident: ir.Ident{Name: "int16"}, Bits: 16},
	"byte":               {Ident: ir.Ident{Name: "int8"}, Bits: 8},
	"unsignedLong":       {Ident: ir.Ident{Name: "uint64"}, Bits: 64, Unsigned: true},
	"unsignedInt":        {Ident: ir.Ident{Name: "uint32"}, Bits: 32, Unsigned: true},
	"unsignedShort":      {Ident: ir.Ident{Name: "uint16"}, Bits: 16, Unsigned: true},
	"unsignedByte":       {Ident: ir.Ident{Name: "uint8"}, Bits: 8, Unsigned: true},
	"dateTime":           {Ident: ir.Ident{ImportPath: xsdtPath, Name: "DateTime"}},
	"date":               {Ident: ir.Ident{ImportPath: xsdtPath, Name: "Date"}},
	"time":               {Ident: ir.Ident{ImportPath: xsdtPath, Name: "Time"}},
	"gYear":              {Ident: ir.Ident{ImportPath: xsdtPath, Name: "GYear"}},
	"gYearMonth":         {Ident: ir.Ident{ImportPath: xsdtPath, Name: "GYearMonth"}},
	"gMonth":             {Ident: ir.Ident{ImportPath: xsdtPath, Name: "GMonth"}},
	"gMonthDay":          {Ident: ir.Ident{ImportPath: xsdtPath, Name: "GMonthDay"}},
	"gDay":               {Ident: ir.Ident{ImportPath: xsdtPath, Name: "GDay"}},
	"duration":           {Ident: ir.Ident{ImportPath: xsdtPath, Name: "Duration"}},
	"base64Binary":       {Ident: ir.Ident{Name: "[]byte"}},
	"hexBinary":          {Ident: ir.Ident{Name: "[]byte"}},
	"QName":              {Ident: ir.Ident{ImportPath: xmltextPath, Name: "Name"}},
	"NMTOKENS":           {List: &ir.GoType{Ident: ir.Ident{Name: "string"}, Builtin: "NMTOKEN"}},
	"IDREFS":             {List: &ir.GoType{Ident: ir.Ident{Name: "string"}, Builtin: "IDREF"}},
	"ENTITIES":           {List: &ir.GoType{Ident: ir.Ident{Name: "string"}, Builtin: "ENTITY"}},
}

// builtinFacets are the facets implied by unbounded integer built-ins.
var builtinFacets = map[string]ir.Facets{
	"nonNegativeInteger": {MinInclusive: strp("0")},
	"positiveInteger":    {MinInclusive: strp("1")},
	"nonPositiveInteger": {MaxInclusive: strp("0")},
	"negativeInteger":    {MaxInclusive: strp("-1")},
}

func strp(s string) *string { return &s }

// stringLike reports whether values of the built-in are Go strings.
func stringLike(builtin string) bool {
	g, ok := builtinGo[builtin]
	return ok && g.List == nil && g.Ident == ir.Ident{Name: "string"}
}
