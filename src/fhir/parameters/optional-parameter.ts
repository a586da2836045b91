// A Parameters entry that is there only when its value is: an operation's answer leaves out what
// it does not know rather than sending an empty value (FHIR R4 §2.1.0 JSON: "a property with no
// value is not present"). One helper per value type, so the encoders read as lists of names. Pure.
import type { ParametersParameter } from '@medplum/fhirtypes';

type ValueKey = 'valueString' | 'valueCode' | 'valueDate' | 'valueDateTime' | 'valueInteger' | 'valueReference';

function optionalOf<K extends ValueKey>(key: K) {
  return (name: string, value: ParametersParameter[K] | undefined): ParametersParameter[] =>
    value === undefined || value === '' ? [] : [{ name, [key]: value } as ParametersParameter];
}

export const optionalString = optionalOf('valueString');
export const optionalCode = optionalOf('valueCode');
export const optionalDate = optionalOf('valueDate');
export const optionalDateTime = optionalOf('valueDateTime');
export const optionalInteger = optionalOf('valueInteger');
export const optionalReference = optionalOf('valueReference');
