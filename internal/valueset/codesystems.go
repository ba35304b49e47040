package valueset

// knownCodeSystems resolves the code-system URLs used by the kit's FHIR
// ValueSets. Each identifier is the one declared by the code system's own
// FHIR CodeSystem resource (identifier "urn:oid:…") in the ANS terminology
// repository ansforge/IG-terminologie-de-sante (ig/DM-37/CodeSystem-*.json
// and input/fsh CodeSystem definitions, read 2026-11); LOINC's is the HL7
// OID that the JDV_J07 SVS file uses for the same codes. CodeSystem files
// given as inputs take precedence only when they agree; a disagreement is an
// error. TestKnownCodeSystemsAgainstSVS cross-checks the table against the
// kit's SVS files.
func knownCodeSystems() []CodeSystem {
	const nos = "https://mos.esante.gouv.fr/NOS/"
	cs := func(name, oid string) CodeSystem {
		// The canonical URL is NOS/<name>/FHIR/<name with '-' for '_'>.
		id := []byte(name)
		for i, c := range id {
			if c == '_' {
				id[i] = '-'
			}
		}
		return CodeSystem{URL: nos + name + "/FHIR/" + string(id), OID: oid, Name: name}
	}
	return []CodeSystem{
		cs("TRE_A00-ProducteurDocNonPS", "1.2.250.1.213.1.1.4.6"),
		cs("TRE_A01-CadreExercice", "1.2.250.1.213.1.1.4.9"),
		cs("TRE_A02-ProfessionSavFaire-CISIS", "1.2.250.1.213.1.1.4.5"),
		cs("TRE_A03-ClasseDocument", "1.2.250.1.213.1.1.4.1"),
		cs("TRE_A04-Loinc", "2.16.840.1.113883.6.1"),
		cs("TRE_A05-TypeDocComplementaire", "1.2.250.1.213.1.1.4.12"),
		cs("TRE_A06-FormatCodeComplementaire", "1.2.250.1.213.1.1.4.2.282"),
		cs("TRE_A07-StatutVisibiliteDocument", "1.2.250.1.213.1.1.4.13"),
		cs("TRE_A09-DICOMuidRegistry", "1.2.840.10008.2.6.1"),
		cs("TRE_A10-NomenclatureURN", "URN"),
		cs("TRE_A11-IheFormatCode", "1.3.6.1.4.1.19376.1.2.3"),
		cs("TRE_A12-NomenclatureASTM", "ASTM"),
		cs("TRE_G05-SousSectionTableauCNOP", "1.2.250.1.71.4.2.6"),
		cs("TRE_G15-ProfessionSante", "1.2.250.1.71.1.2.7"),
		cs("TRE_G16-ProfessionFormation", "1.2.250.1.71.1.2.8"),
		cs("TRE_R01-EnsembleSavoirFaire-CISIS", "1.2.250.1.71.4.2.5"),
		cs("TRE_R02-SecteurActivite", "1.2.250.1.71.4.2.4"),
		cs("TRE_R21-Fonction", "1.2.250.1.213.1.6.1.17"),
		cs("TRE_R22-GenreActivite", "1.2.250.1.213.1.6.1.19"),
		cs("TRE_R85-RolePriseCharge", "1.2.250.1.213.1.6.1.107"),
		cs("TRE_R94-ProfessionSocial", "1.2.250.1.213.1.6.1.4"),
		cs("TRE_R95-UsagerTitre", "1.2.250.1.213.1.6.1.109"),
		cs("TRE_R209-TypeActivite", "1.2.250.1.213.2.2"),
		{URL: nos + "TRE_R248_ModeAcces/FHIR/TRE-R248-ModeAcces", OID: "1.2.250.1.213.1.1.4.336", Name: "TRE_R248_ModeAcces"},
		cs("TRE_R269-AvailabilityStatusProvenanceOasis", "1.2.250.1.213.1.1.4.341"),
		cs("TRE_R270-AvailabilityStatus", "1.2.250.1.213.1.1.4.342"),
		cs("TRE_R276-FormeActivite", "1.2.250.1.213.1.6.1.128"),
		cs("TRE_R291-AutreProfession", "1.2.250.1.213.1.6.1.140"),
	}
}
