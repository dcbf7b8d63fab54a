// Where the per-worker capture files of the suite-wide secret check live (set by the global setup).
export const CAPTURE_DIR_ENV = 'CTL_TEST_DIAG_CAPTURE_DIR';
