/// AnnealTensor: Float32 tensors and the kernels of a GPT on CBLAS.
/// It is the only module that calls BLAS.
