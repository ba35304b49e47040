package devserver

import (
	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/generated/dmp/patients"
	"github.com/dmpgen/dmpgen/generated/gdp/gdp"
	"github.com/dmpgen/dmpgen/generated/pdq/pdqv3"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/soap"
)

// Service is one of the seven DMP services the test DMP serves, each at its
// own path.
type Service struct {
	Name string // e.g. "GDP"
	Path string // URL path, e.g. "/gdp"
	// WSDL is the service's WSDL in the kit, relative to its root.
	WSDL string
	// Operations are the generated operations of its binding.
	Operations func() []*soap.Operation
}

// wsdlDir is where the kit keeps the DMP's WSDLs.
const wsdlDir = "dmp/annexe-wsdl-schema/wsdl/"

// Services returns the services of the test DMP
// (docs/transactions.md#services), in the banner's order.
func Services() []Service {
	return []Service{
		{"Registry", "/registry", wsdlDir + "XDS.b_DocumentRegistry.wsdl", xdsb.DocumentRegistryOperations},
		{"Repository", "/repository", wsdlDir + "XDS.b_DocumentRepository.wsdl", xdsb.DocumentRepositoryOperations},
		{"GDP", "/gdp", wsdlDir + "GestionDossierPatientPartage.wsdl", gdp.GDPOperations},
		{"PDQ", "/pdq", wsdlDir + "PDQSupplier.wsdl", pdqv3.PDQSupplierOperations},
		{"Habilitations", "/habilitations", wsdlDir + "Habilitations.wsdl", habilitations.HabilitationsOperations},
		{"Patients", "/patients", wsdlDir + "PatientsSpecific.wsdl", patients.PatientSpecificOperations},
		{"PatientCertif", "/patientcertif", wsdlDir + "patientCertif.wsdl", patients.PatientCertificationOperations},
	}
}

// Transaction is the DMP transaction an operation carries
// (docs/transactions.md#transactions-at-a-glance). Several transactions
// share an operation, told apart by the request's content (a reason code, a
// status change): TD lists them all.
type Transaction struct {
	TD   string // e.g. "TD0.2/TD1.3a"; "" when the transaction has no TD number
	Name string
}

// Transactions maps each operation of the DMP's services to its
// transactions: the one table of the test DMP's logs
// (TestEveryOperationHasATransaction checks it covers every operation).
func Transactions() map[*soap.Operation]Transaction {
	return map[*soap.Operation]Transaction{
		op(xdsb.DocumentRegistryOperations, "DocumentRegistry_RegistryStoredQuery"):                 {"TD3.1", "Recherche de documents (ITI-18)"},
		op(xdsb.DocumentRegistryOperations, "DocumentRegistry_UpdateDocumentSet"):                   {"TD3.3a/TD3.3c/TD3.3d", "Masquage, suppression, archivage (ITI-57)"},
		op(xdsb.DocumentRepositoryOperations, "DocumentRepository_ProvideAndRegisterDocumentSet-b"): {"TD2.1", "Alimentation (ITI-41)"},
		op(xdsb.DocumentRepositoryOperations, "DocumentRepository_RetrieveDocumentSet"):             {"TD3.2", "Consultation d'un document (ITI-43)"},
		op(gdp.GDPOperations, "PatientGetDemographics_PRPA_IN201307UV02"):                           {"TD0.2/TD1.3a", "Test d'existence, consultation des données de gestion"},
		op(gdp.GDPOperations, "PatientRevise_PRPA_IN201314UV02"):                                    {"TD1.3b/TD1.4", "Modification des données de gestion, fermeture du DMP"},
		op(gdp.GDPOperations, "PatientAdd_PRPA_IN201311UV02"):                                       {"", "Création du DMP"},
		op(pdqv3.PDQSupplierOperations, "findCandidatesQuery"):                                      {"TD0.5", "Recherche d'un patient sans INS (ITI-47)"},
		op(habilitations.HabilitationsOperations, "setAuthorization"):                               {"TD0.3", "Mise à jour de l'autorisation"},
		op(habilitations.HabilitationsOperations, "listAuthorizationByPatient"):                     {"TD1.6", "Liste des PS autorisés ou bloqués"},
		op(patients.PatientSpecificOperations, "patientList"):                                       {"TD0.4", "Liste des DMP autorisés"},
		op(patients.PatientCertificationOperations, "identityCertification"):                        {"", "Certification d'identité"},
	}
}

// op returns the operation of ops named name, nil when there is none (a
// kit change: TestEveryOperationHasATransaction fails).
func op(ops func() []*soap.Operation, name string) *soap.Operation {
	for _, o := range ops() {
		if o.Name == name {
			return o
		}
	}
	return nil
}
