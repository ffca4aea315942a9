package yuncheng

// RegionCode is the GB/T 2260 code of 运城市, the region of the built-in
// dataset.
const RegionCode = "140800"

// AnnualTargetWan is 运城市's annual investment-drive target for 2024 in
// 万元: 3000 亿元, the 市定年度目标任务 of the report the built-in dataset
// quotes (运城日报 2024-05 招商引资报道: "1—4月份,全市共签约项目156个,
// 总投资1481.37亿元,完成市定年度目标任务3000亿元的49.83%").
const AnnualTargetWan = 3000 * 10000

// AnnualTargetSource names where AnnualTargetWan comes from.
const AnnualTargetSource = "运城日报 2024-05 招商引资报道"
