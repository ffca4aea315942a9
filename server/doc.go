// Package server serves chainscope over HTTP with gin: the read and write
// API under /api/v1 (SPEC §7, described by the OpenAPI document at
// /api/v1/openapi.json), /healthz, and the web app at /.
//
// Reads come from an in-memory snapshot of the stored dataset and its
// graph.Index, one per data version, swapped atomically after every write;
// analysis answers are cached per version and carry ETags. Every write
// takes the path of the CLI import — current dataset, change,
// dataset.Build, store.ReplaceWith in one transaction with its audit entry —
// one at a time, and only with the editor token.
package server
