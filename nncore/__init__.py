"""nncore: everything in nnplay that is not layout. It never imports streamlit.

Four layers, each a package, each importing only from the ones before it:

- ``engine``: the numpy network in the course's notation (activations, losses, initializers, network,
  optimizers, training, gradcheck, metrics) and the validated specs.
- ``data``: data sets as pure seeded functions, input features and formulas, a student's own points,
  the task their labels make, the MNIST digits and a drawn digit's preparation.
- ``lessons``: one module per lesson (perceptron, activations, losses, regression, playground, race,
  MNIST), the configurator, presets, step-through, boundary and cost-surface computations.
- ``keras``: the lazy bridge to Keras (models, weights, code export, safe loading) and the training
  jobs of the MNIST page. TensorFlow is imported only when one of its functions runs.

``figures`` turns their results into plotly figures (data in, figure out).
"""
