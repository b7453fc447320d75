# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (workbench)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Expressivity Workbench: panels
# Move a control to recompute; a first picture comes at once and refines.
# Served without code by `bash scripts/dashboard.sh NOTEBOOK` (Voilà).

# %%
from workbench.plots import lecture_style
from workbench.widgets import dashboard

lecture_style()  # projector-sized fonts, colour-blind-safe colours
dashboard()  # which notebook: ?nb=NAME in the URL, else $WORKBENCH_DASHBOARD, else all
