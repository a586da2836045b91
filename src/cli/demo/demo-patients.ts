// The demo organization's patients: invented people (no real person's name or identifier), each
// with the conditions, medications, hospital stays and observations a care coordinator works with.
// Codes: SNOMED CT for conditions, RxNorm (VA product CUIs present in the NDF-RT mapping under
// ../shared/data/drug-knowledge) for medications, LOINC for observations.

export interface DemoMedication {
  readonly rxcui: string;
  readonly name: string;
  readonly dose: string;
  readonly sensitive?: 'PSY' | 'ETH';
}

export interface DemoCondition {
  readonly snomed: string;
  readonly name: string;
  readonly sensitive?: 'PSY' | 'ETH';
}

export interface DemoStay {
  /** Days before now. */
  readonly admittedDaysAgo: number;
  readonly dischargedDaysAgo: number;
  readonly reason: DemoCondition;
  readonly disposition: { code: string; display: string };
}

export interface DemoPatient {
  readonly id: string;
  readonly given: string;
  readonly family: string;
  readonly gender: 'male' | 'female';
  readonly birthDate: string;
  readonly phone: string;
  readonly city: string;
  /** Managed by the demo clinic (the coordinator's panel) or by another practice. */
  readonly organization: 'demo-clinic' | 'demo-other-practice';
  readonly careTeam: readonly ('coordinator' | 'pcp' | 'pharmacist' | 'cardiologist')[];
  readonly conditions: readonly DemoCondition[];
  readonly medications: readonly DemoMedication[];
  readonly stays: readonly DemoStay[];
  readonly allergies: readonly { system: 'snomed' | 'rxnorm'; code: string; name: string }[];
  /** Consent to share these sensitive categories with the care team's physician. */
  readonly consentsTo?: readonly ('PSY' | 'ETH')[];
  /** Preferences the portal lets the patient edit (web/src/portal/patient-preferences.ts). */
  readonly preferences?: {
    readonly language: { code: string; display: string };
    readonly contactMethod: { code: string; display: string };
    readonly contactTimes?: string;
    readonly whatMattersMost?: string;
  };
}

const HOME = { code: 'home', display: 'Home' };
const HOME_HEALTH = { code: 'hh', display: 'Home health' };

const CHF = { snomed: '42343007', name: 'Congestive heart failure' };
const COPD = { snomed: '13645005', name: 'Chronic obstructive lung disease' };
const HIP_FRACTURE = { snomed: '5913000', name: 'Fracture of neck of femur' };

export const DEMO_PATIENTS: readonly DemoPatient[] = [
  {
    id: 'demo-harold-brennan',
    given: 'Harold',
    family: 'Brennan',
    gender: 'male',
    birthDate: '1947-03-14',
    phone: '555-0101',
    city: 'Riverbend',
    organization: 'demo-clinic',
    careTeam: ['coordinator', 'pcp', 'pharmacist', 'cardiologist'],
    conditions: [
      CHF,
      { snomed: '49436004', name: 'Atrial fibrillation' },
      { snomed: '44054006', name: 'Type 2 diabetes mellitus' },
      { snomed: '433144002', name: 'Chronic kidney disease stage 3' },
      { snomed: '90560007', name: 'Gout' },
    ],
    medications: [
      { rxcui: '855332', name: 'Warfarin sodium 5 mg oral tablet', dose: '5 mg by mouth once daily in the evening' },
      { rxcui: '833528', name: 'Amiodarone hydrochloride 200 mg oral tablet', dose: '200 mg by mouth once daily' },
      { rxcui: '197604', name: 'Digoxin 0.125 mg oral tablet', dose: '0.125 mg by mouth once daily' },
      { rxcui: '313988', name: 'Furosemide 40 mg oral tablet', dose: '40 mg by mouth twice daily' },
      { rxcui: '200032', name: 'Carvedilol 12.5 mg oral tablet', dose: '12.5 mg by mouth twice daily' },
      { rxcui: '314076', name: 'Lisinopril 10 mg oral tablet', dose: '10 mg by mouth once daily' },
      { rxcui: '313096', name: 'Spironolactone 25 mg oral tablet', dose: '25 mg by mouth once daily' },
      {
        rxcui: '198116',
        name: 'Potassium chloride 20 mEq extended-release tablet',
        dose: '20 mEq by mouth once daily',
      },
      { rxcui: '198211', name: 'Simvastatin 40 mg oral tablet', dose: '40 mg by mouth at bedtime' },
      {
        rxcui: '860975',
        name: 'Metformin hydrochloride 500 mg extended-release tablet',
        dose: '500 mg by mouth twice daily',
      },
      { rxcui: '197319', name: 'Allopurinol 100 mg oral tablet', dose: '100 mg by mouth once daily' },
      { rxcui: '198051', name: 'Omeprazole 20 mg delayed-release capsule', dose: '20 mg by mouth once daily' },
      {
        rxcui: '198440',
        name: 'Acetaminophen 500 mg oral tablet',
        dose: '500 mg by mouth every 6 hours as needed for pain',
      },
    ],
    stays: [{ admittedDaysAgo: 6, dischargedDaysAgo: 2, reason: CHF, disposition: HOME }],
    allergies: [{ system: 'snomed', code: '91936005', name: 'Allergy to penicillin' }],
    preferences: {
      language: { code: 'en', display: 'English' },
      contactMethod: { code: 'phone', display: 'Phone call' },
      contactTimes: 'Weekday mornings, before 11',
      whatMattersMost: 'Staying in my own home and walking my dog every morning',
    },
  },
  {
    id: 'demo-rosa-delgado',
    given: 'Rosa',
    family: 'Delgado',
    gender: 'female',
    birthDate: '1954-09-02',
    phone: '555-0102',
    city: 'Riverbend',
    organization: 'demo-clinic',
    careTeam: ['coordinator', 'pcp', 'pharmacist'],
    conditions: [
      COPD,
      { snomed: '59621000', name: 'Essential hypertension' },
      { snomed: '40930008', name: 'Hypothyroidism' },
    ],
    medications: [
      {
        rxcui: '69120',
        name: 'Tiotropium 18 mcg inhalation capsule',
        dose: 'Inhale the contents of 1 capsule once daily',
      },
      {
        rxcui: '745679',
        name: 'Albuterol 90 mcg/actuation inhaler',
        dose: '2 puffs every 4 hours as needed for shortness of breath',
      },
      { rxcui: '41126', name: 'Fluticasone 250 mcg/actuation inhaler', dose: '1 puff twice daily' },
      { rxcui: '198145', name: 'Prednisone 10 mg oral tablet', dose: '40 mg by mouth daily for 5 days, then stop' },
      { rxcui: '197517', name: 'Clarithromycin 500 mg oral tablet', dose: '500 mg by mouth twice daily for 7 days' },
      { rxcui: '198211', name: 'Simvastatin 40 mg oral tablet', dose: '40 mg by mouth at bedtime' },
      { rxcui: '197361', name: 'Amlodipine besylate 5 mg oral tablet', dose: '5 mg by mouth once daily' },
      { rxcui: '310798', name: 'Hydrochlorothiazide 25 mg oral tablet', dose: '25 mg by mouth once daily' },
      { rxcui: '966221', name: 'Levothyroxine sodium 50 mcg oral tablet', dose: '50 mcg by mouth every morning' },
      { rxcui: '1897', name: 'Calcium carbonate 500 mg oral tablet', dose: '500 mg by mouth twice daily' },
      { rxcui: '88249', name: 'Montelukast 10 mg oral tablet', dose: '10 mg by mouth at bedtime' },
    ],
    stays: [{ admittedDaysAgo: 5, dischargedDaysAgo: 1, reason: COPD, disposition: HOME }],
    allergies: [],
    preferences: {
      language: { code: 'es', display: 'Spanish' },
      contactMethod: { code: 'phone', display: 'Phone call' },
      contactTimes: 'Afternoons, after 1',
      whatMattersMost: 'Cooking for my grandchildren on Sundays',
    },
  },
  {
    id: 'demo-walter-kim',
    given: 'Walter',
    family: 'Kim',
    gender: 'male',
    birthDate: '1941-12-20',
    phone: '555-0103',
    city: 'Millbrook',
    organization: 'demo-clinic',
    careTeam: ['coordinator', 'pcp', 'pharmacist'],
    conditions: [
      HIP_FRACTURE,
      { snomed: '52448006', name: 'Dementia' },
      { snomed: '266569009', name: 'Benign prostatic hyperplasia' },
      { snomed: '396275006', name: 'Osteoarthritis' },
    ],
    medications: [
      {
        rxcui: '1049621',
        name: 'Oxycodone hydrochloride 5 mg oral tablet',
        dose: '5 mg by mouth every 6 hours as needed for severe pain',
      },
      { rxcui: '198440', name: 'Acetaminophen 500 mg oral tablet', dose: '1000 mg by mouth every 8 hours' },
      { rxcui: '71722', name: 'Docusate sodium 100 mg oral capsule', dose: '100 mg by mouth twice daily' },
      { rxcui: '36387', name: 'Senna 8.6 mg oral tablet', dose: '2 tablets by mouth at bedtime' },
      { rxcui: '997223', name: 'Donepezil hydrochloride 10 mg oral tablet', dose: '10 mg by mouth at bedtime' },
      { rxcui: '77492', name: 'Tamsulosin 0.4 mg oral capsule', dose: '0.4 mg by mouth once daily' },
      { rxcui: '308416', name: 'Aspirin 81 mg delayed-release tablet', dose: '81 mg by mouth once daily' },
      {
        rxcui: '866436',
        name: 'Metoprolol succinate 50 mg extended-release tablet',
        dose: '50 mg by mouth once daily',
      },
      { rxcui: '310431', name: 'Gabapentin 300 mg oral capsule', dose: '300 mg by mouth at bedtime' },
      {
        rxcui: '835603',
        name: 'Tramadol hydrochloride 50 mg oral tablet',
        dose: '50 mg by mouth every 6 hours as needed for pain',
      },
      { rxcui: '312941', name: 'Sertraline hydrochloride 50 mg oral tablet', dose: '50 mg by mouth once daily' },
    ],
    stays: [{ admittedDaysAgo: 12, dischargedDaysAgo: 3, reason: HIP_FRACTURE, disposition: HOME_HEALTH }],
    allergies: [{ system: 'rxnorm', code: '7052', name: 'Morphine' }],
  },
  {
    id: 'demo-gloria-mensah',
    given: 'Gloria',
    family: 'Mensah',
    gender: 'female',
    birthDate: '1960-05-30',
    phone: '555-0104',
    city: 'Riverbend',
    organization: 'demo-clinic',
    careTeam: ['coordinator', 'pcp'],
    conditions: [
      { snomed: '370143000', name: 'Major depressive disorder', sensitive: 'PSY' },
      { snomed: '44054006', name: 'Type 2 diabetes mellitus' },
      { snomed: '59621000', name: 'Essential hypertension' },
    ],
    medications: [
      {
        rxcui: '312941',
        name: 'Sertraline hydrochloride 50 mg oral tablet',
        dose: '50 mg by mouth once daily',
        sensitive: 'PSY',
      },
      {
        rxcui: '860975',
        name: 'Metformin hydrochloride 500 mg extended-release tablet',
        dose: '1000 mg by mouth once daily',
      },
      { rxcui: '314077', name: 'Lisinopril 20 mg oral tablet', dose: '20 mg by mouth once daily' },
      { rxcui: '308416', name: 'Aspirin 81 mg delayed-release tablet', dose: '81 mg by mouth once daily' },
    ],
    stays: [],
    allergies: [],
    consentsTo: ['PSY'],
  },
  {
    id: 'demo-arthur-lindqvist',
    given: 'Arthur',
    family: 'Lindqvist',
    gender: 'male',
    birthDate: '1966-11-08',
    phone: '555-0105',
    city: 'Millbrook',
    organization: 'demo-clinic',
    careTeam: ['coordinator', 'pcp'],
    conditions: [
      { snomed: '66590003', name: 'Alcohol dependence', sensitive: 'ETH' },
      { snomed: '59621000', name: 'Essential hypertension' },
    ],
    medications: [
      {
        rxcui: '198011',
        name: 'Naltrexone hydrochloride 50 mg oral tablet',
        dose: '50 mg by mouth once daily',
        sensitive: 'ETH',
      },
      { rxcui: '197361', name: 'Amlodipine besylate 5 mg oral tablet', dose: '5 mg by mouth once daily' },
      { rxcui: '314076', name: 'Lisinopril 10 mg oral tablet', dose: '10 mg by mouth once daily' },
    ],
    stays: [],
    allergies: [],
  },
  {
    id: 'demo-nadia-petrov',
    given: 'Nadia',
    family: 'Petrov',
    gender: 'female',
    birthDate: '1981-02-17',
    phone: '555-0106',
    city: 'Riverbend',
    organization: 'demo-clinic',
    careTeam: ['pcp'],
    conditions: [{ snomed: '195967001', name: 'Asthma' }],
    medications: [
      {
        rxcui: '745679',
        name: 'Albuterol 90 mcg/actuation inhaler',
        dose: '2 puffs every 4 hours as needed for wheezing',
      },
      { rxcui: '41126', name: 'Fluticasone 110 mcg/actuation inhaler', dose: '2 puffs twice daily' },
      { rxcui: '88249', name: 'Montelukast 10 mg oral tablet', dose: '10 mg by mouth at bedtime' },
    ],
    stays: [],
    allergies: [],
  },
  {
    id: 'demo-oliver-grant',
    given: 'Oliver',
    family: 'Grant',
    gender: 'male',
    birthDate: '1958-07-25',
    phone: '555-0107',
    city: 'Eastport',
    organization: 'demo-other-practice',
    careTeam: ['cardiologist'],
    conditions: [CHF, { snomed: '59621000', name: 'Essential hypertension' }],
    medications: [
      { rxcui: '313988', name: 'Furosemide 40 mg oral tablet', dose: '40 mg by mouth once daily' },
      {
        rxcui: '866436',
        name: 'Metoprolol succinate 50 mg extended-release tablet',
        dose: '50 mg by mouth once daily',
      },
    ],
    stays: [{ admittedDaysAgo: 20, dischargedDaysAgo: 16, reason: CHF, disposition: HOME }],
    allergies: [],
  },
];
