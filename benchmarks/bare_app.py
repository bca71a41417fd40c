"""Streamlit's own floor for bench_start.py: a bare app that draws one plotly chart, nothing else."""
import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Scatter(x=["2024-01", "2024-02", "2024-03"], y=[0.8, 0.9, 0.85])), theme=None)
