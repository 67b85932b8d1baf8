"""nncore: everything in nnplay that is not layout.

A numpy neural-network engine in the course's notation (activations, losses, initializers,
network, optimizers, training, gradcheck), the course's data sets, validated specs, the lazy
Keras bridge and the plotly figure builders. It never imports streamlit, and never imports
TensorFlow until ``keras_bridge`` is used.
"""
