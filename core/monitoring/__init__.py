"""The monitoring domain: indicators, disclosure control, chart, workbook, recommendations."""
