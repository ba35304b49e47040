// Package diff explains what a new kit version changes for a client
// generated from the previous one, before anyone reads the generated diff.
//
// Both kits go through the generator's own loader and lowering (Load);
// Build turns each lowered target into a Model of components keyed by XML
// identity, never by Go name: namespaces, SOAP bindings and their
// operations, WSDL messages, global elements, named types, and under them
// the members of their content (fields, attributes, groups, wildcards,
// enumeration values; anonymous types expanded in place). Each component
// carries its position, its documentation, the Go identifier it becomes
// and the properties the wire or the Go API depend on. Compare matches the
// two models, pairing namespaces that were renamed (most global names
// kept) and members whose namespace alone changed, and classifies every
// difference by a named rule:
//
// Breaking (an old client may send what the new kit rejects, or no longer
// compiles): service-, operation-, message-, element-, type-, field-,
// attribute-, group-, any-, anyAttribute- and enumeration-removed;
// field-added-required, group-added-required, any-added-required,
// attribute-added-required; min-occurs-raised, max-occurs-lowered,
// max-occurs-crosses-one (pointer ↔ slice); attribute-became-required,
// attribute-became-optional (value ↔ pointer); nillable-removed, and
// nillable-added on an element of simple type (its Go field becomes a
// struct with Value and XSINil);
// default-changed; fixed-added, fixed-changed; became-abstract;
// type-changed, base-changed,
// kind-changed, content-model-changed, group-kind-changed,
// choice-tightened, member-order-changed (in a sequence),
// substitution-group-changed; wildcard-narrowed, wildcard-tightened;
// pattern-added, pattern-changed, facet-tightened, whitespace-changed;
// namespace-changed, package-changed, renamed-by-pin (a names: pin of
// dmpgen.yaml changed), go-name-changed (a name clash renamed the Go
// identifier), go-type-changed (safety net: the Go
// field's type changed and no other rule said why); action-changed,
// message-element-changed, message-parts-changed, fault-removed,
// mtom-changed, soap-version-changed, endpoint-changed; target-removed;
// changed (a property no rule knows).
//
// Additive (old clients keep working): the *-added and *-added-optional
// rules for optional components (field-added-optional,
// attribute-added-optional, …), new operations, messages, elements and
// types, enumeration-added; min-occurs-lowered, max-occurs-raised,
// nillable-added, fixed-removed, became-concrete, choice-loosened,
// wildcard-widened, wildcard-loosened, pattern-removed, facet-loosened,
// fault-added; target-added.
//
// Cosmetic (neither the wire nor the Go API): porttype-renamed,
// prefix-changed, attribute-order-changed, enumeration-order-changed,
// member-order-changed within xs:all, facet-rewritten (the same bound
// written differently), and documentation-changed, which is reported in a
// section of its own and never counts as breaking.
//
// Changes that come from one declaration seen in several places (a base
// type's member inherited by derived types) are folded into one change
// listing the other places. Reports (Report) are sorted and stable: text
// for a terminal, markdown for a merge request, JSON for tools.
package diff
