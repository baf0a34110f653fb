"""Run: parameters and the pipeline that executes the notebooks through Papermill."""
