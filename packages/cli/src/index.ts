export { ConfigReport, type ConfigReportResult } from './services/config-report.js';
export { Doctor, type DoctorCheck, type DoctorResult } from './services/doctor.js';
export { starterConfig } from './services/starter-config.js';
