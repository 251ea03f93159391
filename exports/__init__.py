"""Documents the portal generates: pure functions returning bytes (views wrap them in responses).

- annex2.annex2_xlsx(submission) / annex2.write_annex2_sheet(ws, …): 附件2 推荐名单汇总表 (openpyxl)
- annex2.province_annex2_xlsx(batch, user=…): the province-wide 附件2, a 汇总 sheet and a sheet per city
- letter.recommendation_letter_pdf(submission): 推荐函 (WeasyPrint, fonts named in static/css/print.css)
"""
