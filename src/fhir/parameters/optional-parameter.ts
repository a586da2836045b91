// A Parameters entry that is there only when its value is: an operation's answer leaves out what
// it does not know rather than sending an empty value (FHIR R4 §2.1.0 JSON: "a property with no
// value is not present"). One helper per value type, so the encoders read as lists of names. Pure.
import type { ParametersParameter, Reference } from '@medplum/fhirtypes';

type Optional<T> = T | undefined;

const when = <T>(value: Optional<T>, make: (v: T) => ParametersParameter): ParametersParameter[] =>
  value === undefined || value === '' ? [] : [make(value)];

export const optionalString = (name: string, value: Optional<string>): ParametersParameter[] =>
  when(value, (v) => ({ name, valueString: v }));

export const optionalCode = (name: string, value: Optional<string>): ParametersParameter[] =>
  when(value, (v) => ({ name, valueCode: v }));

export const optionalDate = (name: string, value: Optional<string>): ParametersParameter[] =>
  when(value, (v) => ({ name, valueDate: v }));

export const optionalDateTime = (name: string, value: Optional<string>): ParametersParameter[] =>
  when(value, (v) => ({ name, valueDateTime: v }));

export const optionalInteger = (name: string, value: Optional<number>): ParametersParameter[] =>
  when(value, (v) => ({ name, valueInteger: v }));

export const optionalReference = (name: string, value: Optional<Reference>): ParametersParameter[] =>
  when(value, (v) => ({ name, valueReference: v }));
