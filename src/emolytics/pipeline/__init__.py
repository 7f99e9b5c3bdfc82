"""The data flow as plain functions: ingest, datasets, jobs, analysis, reports, exports."""
