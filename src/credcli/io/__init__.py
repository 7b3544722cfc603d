"""Files in and out: rosters, federal list files, Excel workbooks, email."""
