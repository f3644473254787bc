"""Raw-data exports (CSV, XLSX, JSON) with a codebook: one row per response."""
