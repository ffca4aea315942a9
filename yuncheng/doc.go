// Package yuncheng ships the built-in dataset of 运城市 (140800): its 13
// county-level divisions and development zones, ten industrial chains, and the
// enterprises, projects and supply links placed on them. Records taken from the
// 运城日报 report on the January–April 2024 investment drive carry that report as
// their source; every other record is marked "illustrative" and describes no
// real company.
//
// The dataset is SPEC §2 JSON compiled into the binary; JSON hands out its bytes
// for the dataset package to read.
package yuncheng
