package xds

import "github.com/dmpgen/dmpgen/runtime/uuid"

// associationTypes are the association types of XDS.b and its updates.
var associationTypes = [...]string{AssocHasMember, AssocReplace, AssocTransform, AssocAppend, AssocTransformReplace,
	AssocSigns, AssocIsSnapshotOf, AssocUpdateAvailabilityStatus, AssocSubmitAssociation}

func (c *checker) association(a *Association) {
	obj := a.EntryUUID
	c.entryUUID(&a.Base)
	c.slots(obj, a.Extra.Slots, a.slotRefs(&c.buf), func(name string) (int, int) {
		if name == SlotSubmissionSetStatus {
			return 0, many // TOO_MANY_SUBMISSION_SET_STATES below
		}
		return 0, 1
	})
	c.classifications(a, classificationSpec{count: func(string) (int, int) { return 0, 1 }})
	known := false
	for _, t := range associationTypes {
		known = known || a.Type == t
	}
	if !known {
		c.add(CodeInvalidAssociationType, obj, p("associationType"), "%q is not an XDS association type", a.Type)
		return
	}
	if v := a.PreviousVersion; v != "" {
		if _, ok := positiveVersion(v); !ok {
			c.add(CodeInvalidPreviousVersion, obj, p(SlotPreviousVersion), "%q is not a version number (a positive decimal integer)", v)
		}
	}
	query := c.o.Transaction.isQuery()
	if !query {
		c.resolves(obj, p("sourceObject"), a.Source)
		c.resolves(obj, p("targetObject"), a.Target)
	}
	switch a.Type {
	case AssocHasMember:
		c.hasMember(a)
	case AssocIsSnapshotOf:
		if d := c.docs[a.Source]; !query && (d == nil || d.ObjectType != ObjectTypeStable) {
			c.add(CodeMissingSnapshotAssociation, obj, p("sourceObject"), "%q is not a stable DocumentEntry of the submission", a.Source)
		}
	case AssocUpdateAvailabilityStatus:
		if query {
			return
		}
		c.fromSubmissionSet(a)
		c.updateStatus(obj, p(SlotOriginalStatus), a.OriginalStatus, CodeMissingOriginalStatus)
		c.updateStatus(obj, p(SlotNewStatus), a.NewStatus, CodeMissingNewStatus)
	case AssocSubmitAssociation:
		if query {
			return
		}
		c.fromSubmissionSet(a)
		if c.assocs[a.Target] == nil {
			c.add(CodeMissingAssociation, obj, p("targetObject"), "%q is not an association of the submission", a.Target)
		}
	default:
		if !query && !c.submitsAssociations() && c.docs[a.Source] == nil {
			c.add(CodeSourceUUIDNotFound, obj, p("sourceObject"), "%q is not a DocumentEntry of the submission", a.Source)
		}
	}
}

func (c *checker) hasMember(a *Association) {
	obj := a.EntryUUID
	doc := !a.Documentation.IsZero()
	for _, cl := range a.Extra.Classifications {
		doc = doc || cl.SchemeValue() == SchemeAssociationDocument
	}
	if doc {
		c.add(CodeDocCodeNotAllowedOnHasMember, obj, p("associationDocumentation"), "a HasMember association has no associationDocumentation")
	}
	var states []string
	if a.SubmissionSetStatus != "" {
		states = []string{a.SubmissionSetStatus}
	}
	for _, s := range a.Extra.Slots {
		if !s.Lifted && s.Name == SlotSubmissionSetStatus {
			states = append(states, s.Values...)
		}
	}
	fromSet := c.setIDs[a.Source]
	switch {
	case len(states) == 0:
		if fromSet && c.docs[a.Target] != nil {
			c.add(CodeSubmissionSetStatusMandatory, obj, p(SlotSubmissionSetStatus), "no SubmissionSetStatus on a SubmissionSet-to-DocumentEntry HasMember")
		}
	case len(states) > 1:
		c.add(CodeTooManySubmissionSetStates, obj, p(SlotSubmissionSetStatus), "%d values", len(states))
	case states[0] == SubmissionSetStatusOriginal:
		if !c.o.Transaction.isQuery() && c.docs[a.Target] == nil {
			c.add(CodeMissingOriginal, obj, p("targetObject"), "Original member %q is not a DocumentEntry of the submission", a.Target)
		}
	case states[0] == SubmissionSetStatusReference:
		if c.docs[a.Target] != nil || c.folders[a.Target] != nil {
			c.add(CodeReferenceTargetInSubmission, obj, p("targetObject"), "Reference member %q is in the submission (use Original)", a.Target)
		}
	default:
		c.add(CodeInvalidSubmissionSetStatus, obj, p(SlotSubmissionSetStatus), "%q is not Original or Reference", states[0])
	}
}

func (c *checker) fromSubmissionSet(a *Association) {
	if !c.setIDs[a.Source] {
		c.add(CodeMissingSubmissionSet, a.EntryUUID, p("sourceObject"), "%q is not the SubmissionSet", a.Source)
	}
}

func (c *checker) updateStatus(obj string, attr path, v string, missing RuleCode) {
	switch {
	case v == "":
		c.add(missing, obj, attr, "no %s", attr)
	case !c.statusOK(v, true):
		c.add(CodeInvalidAvailabilityStatus, obj, attr, "%q is not an availability status", v)
	}
}

// submitsAssociations reports whether the submission adds associations to
// registry objects (SubmitAssociation, UpdateAvailabilityStatus): document
// relationships may then start from a registry object.
func (c *checker) submitsAssociations() bool {
	for _, a := range c.assocs {
		if a.Type == AssocSubmitAssociation || a.Type == AssocUpdateAvailabilityStatus {
			return true
		}
	}
	return false
}

// resolves checks that a symbolic id names an object of the submission (a
// urn:uuid may name a registry object).
func (c *checker) resolves(obj string, attr path, id string) {
	if id == "" || uuid.IsURN(id) {
		return
	}
	for _, it := range c.m.Items {
		if it.EntryID() == id {
			return
		}
	}
	c.add(CodeUnresolvedReference, obj, attr, "symbolic id %q names no object of the submission", id)
}
