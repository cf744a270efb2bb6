/**
 * Finding a lead by what a script or a spreadsheet knows about it: an identity key's value
 * (the import's key column, e.g. X Education's Prospect ID) first, then what `explain`
 * accepts (lead number, uid, email). One definition, shared with `explain`.
 */
export { findLeadId as findLead } from '../leads/lead-key';
