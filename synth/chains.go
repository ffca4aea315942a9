package synth

import "chainscope"

// chainTemplate is one industrial chain the generator knows: its segments
// (keyed inside the chain), the upstream → downstream flows between them with
// the product that typically moves along each flow, and the words used to
// name the enterprises and projects placed on it.
type chainTemplate struct {
	id, name string
	emerging bool      // a strategic emerging industry (战略性新兴产业)
	unit     string    // capacity unit for project names ("吨"); "" when capacity is not counted
	words    [3]string // trade words for enterprise names
	segments []segmentTemplate
	flows    []flowTemplate
}

type segmentTemplate struct {
	key, name string
	stage     chainscope.Stage
}

type flowTemplate struct {
	from, to, product string
}

const (
	up      = chainscope.StageUpstream
	mid     = chainscope.StageMidstream
	down    = chainscope.StageDownstream
	support = chainscope.StageSupport
)

// chainTemplates are the chains of a generated region, modelled on the
// chains of 运城市 and Shanxi. Every flow graph is acyclic, every segment
// lies on at least one flow, and every chain has at least one interior
// segment (one with both an upstream and a downstream neighbour), where a
// planted gap breaks the chain.
var chainTemplates = []chainTemplate{
	{
		id: "battery", name: "新能源电池", emerging: true, unit: "吨",
		words: [3]string{"新能源材料", "锂电科技", "储能科技"},
		segments: []segmentTemplate{
			{"lithium", "锂盐", up}, {"coke", "锻后焦", up},
			{"cathode", "正极材料", mid}, {"anode", "负极材料", mid},
			{"electrolyte", "电解液", mid}, {"separator", "隔膜", mid},
			{"cell", "电芯制造", down}, {"pack", "储能与电池包", down},
			{"recycle", "电池回收", support},
		},
		flows: []flowTemplate{
			{"lithium", "cathode", "碳酸锂"}, {"lithium", "electrolyte", "六氟磷酸锂"},
			{"coke", "anode", "锻后焦"}, {"cathode", "cell", "磷酸铁锂正极"},
			{"anode", "cell", "人造石墨负极"}, {"electrolyte", "cell", "电解液"},
			{"separator", "cell", "湿法隔膜"}, {"cell", "pack", "动力电芯"},
			{"recycle", "cathode", "再生锂镍钴"},
		},
	},
	{
		id: "steel", name: "钢铁", unit: "吨",
		words: [3]string{"钢铁", "金属制品", "冶金实业"},
		segments: []segmentTemplate{
			{"ore", "铁矿石", up}, {"coke", "焦炭", up}, {"alloy", "硅锰合金", up},
			{"iron", "炼铁", mid}, {"making", "炼钢", mid}, {"rolling", "热轧卷板", mid},
			{"coating", "镀锌板带", down}, {"water", "原水预处理", support},
		},
		flows: []flowTemplate{
			{"ore", "iron", "铁精粉"}, {"coke", "iron", "冶金焦"},
			{"iron", "making", "铁水"}, {"alloy", "making", "硅锰合金"},
			{"making", "rolling", "钢坯"}, {"rolling", "coating", "热轧卷"},
			{"water", "making", "工业用水"},
		},
	},
	{
		id: "materials", name: "新材料", emerging: true, unit: "吨",
		words: [3]string{"新材料科技", "镁业", "铝业"},
		segments: []segmentTemplate{
			{"magnesium", "原镁", up}, {"alumina", "氧化铝", up},
			{"alloy", "镁铝合金", mid}, {"casting", "精密铸件", mid},
			{"parts", "轻量化部件", down}, {"testing", "检测认证", support},
		},
		flows: []flowTemplate{
			{"magnesium", "alloy", "镁锭"}, {"alumina", "alloy", "铝锭"},
			{"alloy", "casting", "合金锭"}, {"casting", "parts", "压铸件"},
			{"testing", "casting", "检测服务"},
		},
	},
	{
		id: "pharma", name: "生物医药", emerging: true, unit: "万盒",
		words: [3]string{"药业", "生物科技", "制药"},
		segments: []segmentTemplate{
			{"herbs", "中药材种植", up}, {"intermediate", "医药中间体", up},
			{"api", "原料药", mid}, {"formulation", "化学制剂", mid}, {"tcm", "中成药", mid},
			{"distribution", "医药流通", down}, {"packaging", "药用包装", support},
		},
		flows: []flowTemplate{
			{"intermediate", "api", "医药中间体"}, {"api", "formulation", "原料药"},
			{"herbs", "tcm", "中药饮片"}, {"formulation", "distribution", "化学药品"},
			{"tcm", "distribution", "中成药"}, {"packaging", "formulation", "药用玻璃瓶"},
			{"packaging", "tcm", "铝塑泡罩"},
		},
	},
	{
		id: "equipment", name: "智能装备", emerging: true, unit: "台套",
		words: [3]string{"智能装备", "机械制造", "机器人科技"},
		segments: []segmentTemplate{
			{"castings", "铸锻件", up}, {"parts", "精密零部件", up},
			{"reducer", "精密减速器", mid}, {"servo", "伺服电机", mid},
			{"controller", "控制系统", mid}, {"display", "显示模组", mid},
			{"robot", "智能机器人", down}, {"line", "智能产线集成", down},
			{"service", "运维服务", support},
		},
		flows: []flowTemplate{
			{"castings", "reducer", "铸件毛坯"}, {"parts", "reducer", "齿轮"},
			{"parts", "servo", "轴承"}, {"reducer", "robot", "减速器"},
			{"servo", "robot", "伺服电机"}, {"controller", "robot", "控制器"},
			{"display", "robot", "显示模组"}, {"robot", "line", "工业机器人"},
			{"service", "line", "运维服务"},
		},
	},
	{
		id: "nev", name: "新能源汽车", emerging: true, unit: "辆",
		words: [3]string{"汽车", "新能源汽车", "汽车零部件"},
		segments: []segmentTemplate{
			{"sheet", "汽车板材", up}, {"cells", "动力电池", up}, {"mold", "模具", up},
			{"parts", "汽车零部件", mid}, {"motor", "电驱系统", mid},
			{"car", "乘用车整车", down}, {"truck", "电动重卡", down},
			{"swap", "充换电站", support},
		},
		flows: []flowTemplate{
			{"sheet", "parts", "冷轧板"}, {"mold", "parts", "冲压模具"},
			{"parts", "car", "车身件"}, {"parts", "truck", "底盘件"},
			{"motor", "car", "电驱总成"}, {"motor", "truck", "电驱桥"},
			{"cells", "car", "动力电池包"}, {"cells", "swap", "换电电池"},
			{"swap", "truck", "换电服务"},
		},
	},
	{
		id: "energy", name: "能源环保", emerging: true,
		words: [3]string{"能源", "环保科技", "热电"},
		segments: []segmentTemplate{
			{"coal", "电煤", up}, {"gas", "钢铁煤气", up}, {"waste", "生活垃圾收运", up},
			{"power", "热电联产", mid}, {"incineration", "垃圾焚烧发电", mid},
			{"grid", "电力热力供应", down}, {"ash", "灰渣综合利用", support},
		},
		flows: []flowTemplate{
			{"coal", "power", "电煤"}, {"gas", "power", "高炉煤气"},
			{"waste", "incineration", "生活垃圾"}, {"power", "grid", "电力"},
			{"incineration", "grid", "绿色电力"}, {"incineration", "ash", "炉渣"},
		},
	},
	{
		id: "tourism", name: "文旅康养",
		words: [3]string{"文化旅游", "康养产业", "旅游开发"},
		segments: []segmentTemplate{
			{"scenic", "景区开发", up}, {"heritage", "文物与非遗", up},
			{"creative", "文创产品", mid}, {"lodging", "住宿餐饮", mid},
			{"wellness", "医养结合", mid}, {"travel", "旅行服务", down},
			{"aviation", "通用航空", support},
		},
		flows: []flowTemplate{
			{"scenic", "lodging", "客源导流"}, {"scenic", "creative", "景区IP"},
			{"heritage", "creative", "文化IP授权"}, {"creative", "travel", "文创商品"},
			{"lodging", "travel", "住宿接待"}, {"wellness", "travel", "康养套餐"},
			{"aviation", "travel", "低空观光"},
		},
	},
	{
		id: "agri", name: "现代农业与食品", unit: "吨",
		words: [3]string{"农业科技", "食品", "果业"},
		segments: []segmentTemplate{
			{"seed", "良种繁育", up}, {"fruit", "果蔬种植", up}, {"grain", "粮食种植", up},
			{"processing", "农产品加工", mid}, {"juice", "浓缩果汁", mid},
			{"retail", "食品销售", down}, {"coldchain", "冷链物流", support},
		},
		flows: []flowTemplate{
			{"seed", "fruit", "苹果苗木"}, {"seed", "grain", "小麦良种"},
			{"grain", "processing", "小麦"}, {"fruit", "juice", "鲜果"},
			{"processing", "retail", "面粉制品"}, {"juice", "retail", "浓缩苹果汁"},
			{"coldchain", "retail", "冷链配送"},
		},
	},
	{
		id: "coalchem", name: "煤化工", unit: "吨",
		words: [3]string{"煤化工", "焦化", "化工"},
		segments: []segmentTemplate{
			{"coal", "原煤", up}, {"coking", "炼焦", mid}, {"tar", "煤焦油加工", mid},
			{"methanol", "甲醇", mid}, {"olefin", "烯烃", down}, {"needle", "针状焦", down},
			{"hydrogen", "焦炉煤气制氢", down}, {"catalyst", "催化剂", support},
		},
		flows: []flowTemplate{
			{"coal", "coking", "炼焦煤"}, {"coking", "tar", "煤焦油"},
			{"coking", "methanol", "焦炉煤气"}, {"coking", "hydrogen", "焦炉煤气"},
			{"methanol", "olefin", "甲醇"}, {"tar", "needle", "沥青"},
			{"catalyst", "methanol", "合成催化剂"},
		},
	},
}

// catalog is the chain templates compiled to dense segment indices, which
// the generator works on instead of string ids.
type catalog struct {
	chains   []catalogChain
	segID    []string
	segName  []string
	segChain []int16
	out, in  [][]adjacent // flows leaving and entering each segment
	interior []bool       // the segment has both an upstream and a downstream neighbour
	products []string     // every product a link can carry, "" first
	services []int32      // the products of service links (serviceProducts)
}

type catalogChain struct {
	tmpl       *chainTemplate
	first, end int16 // its segments are first..end-1
}

type adjacent struct {
	seg     int16
	product int32 // index into catalog.products
}

// compileCatalog resolves the templates' keys to indices. A template that
// names an unknown segment is a programming error and panics.
func compileCatalog() catalog {
	var c catalog
	productIndex := map[string]int32{}
	product := func(p string) int32 {
		i, ok := productIndex[p]
		if !ok {
			i = int32(len(c.products))
			productIndex[p] = i
			c.products = append(c.products, p)
		}
		return i
	}
	product("")
	for _, p := range serviceProducts {
		c.services = append(c.services, product(p))
	}
	for i := range chainTemplates {
		t := &chainTemplates[i]
		first := int16(len(c.segID))
		index := make(map[string]int16, len(t.segments))
		for _, s := range t.segments {
			index[s.key] = int16(len(c.segID))
			c.segID = append(c.segID, t.id+"."+s.key)
			c.segName = append(c.segName, s.name)
			c.segChain = append(c.segChain, int16(i))
		}
		c.chains = append(c.chains, catalogChain{tmpl: t, first: first, end: int16(len(c.segID))})
		c.out = append(c.out, make([][]adjacent, len(t.segments))...)
		c.in = append(c.in, make([][]adjacent, len(t.segments))...)
		for _, f := range t.flows {
			from, ok1 := index[f.from]
			to, ok2 := index[f.to]
			if !ok1 || !ok2 {
				panic("synth: chain " + t.id + " has a flow between unknown segments " + f.from + " → " + f.to)
			}
			c.out[from] = append(c.out[from], adjacent{seg: to, product: product(f.product)})
			c.in[to] = append(c.in[to], adjacent{seg: from, product: product(f.product)})
		}
	}
	c.interior = make([]bool, len(c.segID))
	for s := range c.segID {
		c.interior[s] = len(c.in[s]) > 0 && len(c.out[s]) > 0
	}
	return c
}

// datasetChains builds fresh chain records, so that no two datasets share
// a slice a caller might modify.
func (c *catalog) datasetChains() []chainscope.Chain {
	chains := make([]chainscope.Chain, len(c.chains))
	for i, ch := range c.chains {
		t := ch.tmpl
		segs := make([]chainscope.Segment, 0, len(t.segments))
		for s := ch.first; s < ch.end; s++ {
			segs = append(segs, chainscope.Segment{
				ID: c.segID[s], Name: c.segName[s], Stage: t.segments[s-ch.first].stage,
			})
		}
		flows := make([]chainscope.Flow, 0, len(t.flows))
		for _, f := range t.flows {
			flows = append(flows, chainscope.Flow{From: t.id + "." + f.from, To: t.id + "." + f.to})
		}
		chains[i] = chainscope.Chain{ID: t.id, Name: t.name, Segments: segs, Flows: flows}
	}
	return chains
}
