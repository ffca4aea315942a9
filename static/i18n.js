// i18n.js — every text of the app, Chinese first with the English beside
// it, and the number formats of each language. The language is chosen
// with the 中文/English switch and kept in localStorage.
//
// Messages take arguments as {0}, {1}, …; t() fills them in. The result is
// plain text: dom.js puts it on the page as a text node.

const STORAGE_KEY = 'chainscope.lang';

// messages: key → [中文, English].
const messages = {
  'app.name': ['产业链图谱', 'Chain Explorer'],
  'nav.dashboard': ['总览', 'Dashboard'],
  'nav.panorama': ['产业链全景', 'Panorama'],
  'nav.cluster': ['产业集群', 'Clusters'],
  'nav.gaps': ['补链清单', 'Gaps'],
  'nav.projects': ['项目台账', 'Projects'],
  'lang.switch': ['切换语言', 'Switch language'],
  'footer.note': ['chainscope 产业链图谱 · 标注“示意”的记录为示例数据，非真实企业信息', 'chainscope · records marked “illustrative” are sample data, not real companies'],
  'loading': ['正在加载…', 'Loading…'],
  'close': ['关闭', 'Close'],
  'all': ['全部', 'All'],
  'yes': ['是', 'yes'],
  'no': ['否', 'no'],
  'unit.projects': ['个', ''],

  'error.title': ['出错了：', 'Something went wrong:'],
  'error.network': ['无法连接服务器，请检查网络后重试。', 'The server cannot be reached; check the connection and try again.'],
  'error.unknown': ['未知错误', 'Unknown error'],

  'search.placeholder': ['搜索企业、项目、县区或信用代码', 'Search by name or USCC'],
  'search.none': ['没有找到匹配的记录', 'No matching records'],
  'search.more': ['共 {0} 条，请输入更完整的名称', '{0} matches in all; type more of the name'],

  'token.off': ['编辑', 'Edit'],
  'token.on': ['编辑中 ✓', 'Editing ✓'],
  'token.label': ['编辑令牌', 'Editor token'],
  'token.placeholder': ['输入管理员提供的令牌', 'Token from the administrator'],
  'token.name': ['您的姓名（记入修改历史）', 'Your name (shown in the history)'],
  'token.namePlaceholder': ['如：张三', 'e.g. Zhang San'],
  'token.save': ['确定', 'Use token'],
  'token.clear': ['退出编辑', 'Stop editing'],
  'token.hint': ['令牌只保存在本浏览器标签页中，关闭后即失效。', 'The token is kept in this tab only and forgotten when it closes.'],
  'token.onAs': ['编辑中 · {0}', 'Editing · {0}'],
  'token.wrong': ['编辑令牌不正确，仍为只读。', 'Wrong editor token; still read-only.'],
  'token.readOnly': ['本服务器不接受编辑（未配置编辑令牌）。', 'This server takes no edits (no editor token is set up).'],
  'token.placeholderOther': ['换用另一个令牌', 'Use another token'],
  'token.sharedHint': ['这是共用令牌：请填写您的姓名，它将记入修改历史。令牌只保存在本浏览器标签页中。', 'This is the shared token: enter your name for the history. The token is kept in this tab only.'],

  'kind.county': ['县区', 'County'],
  'kind.chain': ['产业链', 'Chain'],
  'kind.segment': ['环节', 'Segment'],
  'kind.enterprise': ['企业', 'Enterprise'],
  'kind.project': ['项目', 'Project'],
  'kind.link': ['供需关系', 'Supply link'],

  'stage.upstream': ['上游', 'Upstream'],
  'stage.midstream': ['中游', 'Midstream'],
  'stage.downstream': ['下游', 'Downstream'],
  'stage.support': ['配套', 'Support'],

  'status.missing': ['缺链', 'Missing'],
  'status.broken': ['断链', 'Broken'],
  'status.external': ['外部供给', 'Supplied from outside'],
  'status.weak': ['薄弱', 'Weak'],
  'status.ok': ['正常', 'OK'],
  'reason.single': ['单一主体', 'single holder'],
  'reason.planned_only': ['仅规划', 'planned only'],

  'project.signed': ['签约', 'Signed'],
  'project.started': ['在建', 'Under construction'],
  'project.operating': ['投产', 'Operating'],
  'project.stalled': ['停滞', 'Stalled'],
  'project.cancelled': ['终止', 'Cancelled'],

  'dash.title': ['{0}招商引资总览', '{0} investment drive'],
  'dash.sub': ['签约项目、投资进度与产业结构，按县区和产业链汇总。点击县区查看补链清单，点击产业链查看全景图。',
    'Signed projects, investment progress and industry mix by county and chain. Click a county for its gap report, a chain for its panorama.'],
  'dash.kpis': ['主要指标', 'Key figures'],
  'dash.signed': ['签约项目', 'Signed projects'],
  'dash.signedSub': ['台账共 {0} 条，其中终止 {1} 个', '{0} in the ledger, {1} cancelled'],
  'dash.investment': ['总投资', 'Total investment'],
  'dash.targetSub': ['完成年度目标 {1} 的 {0}', '{0} of the annual target {1}'],
  'dash.noTarget': ['未设年度目标', 'No annual target set'],
  'dash.emerging': ['战略性新兴产业', 'Strategic emerging'],
  'dash.emergingSub': ['占签约项目 {0}', '{0} of signed projects'],
  'dash.startRate': ['开工率', 'Start rate'],
  'dash.startSub': ['已开工 {0} 个，当年签约当年开工 {1} 个', '{0} started, {1} started in the year signed'],
  'dash.pipeline': ['已投产', 'Operating'],
  'dash.pipelineSub': ['在建 {0} 个，停滞 {1} 个', '{0} under construction, {1} stalled'],
  'dash.byCounty': ['各县区签约投资', 'Investment by county'],
  'dash.byChain': ['各产业链签约投资', 'Investment by chain'],
  'dash.unitYi': ['单位：亿元', 'CNY m'],
  'dash.countyTable': ['县区明细', 'Counties'],
  'dash.countyHint': ['开发区计入所在县区', 'zones count in their county'],
  'dash.chainTable': ['产业链明细', 'Chains'],
  'dash.chainHint': ['跨链项目分别计入各链', 'a project on two chains counts for both'],
  'dash.county': ['县区', 'County'],
  'dash.chain': ['产业链', 'Chain'],
  'dash.col.signed': ['签约项目', 'Signed'],
  'dash.col.investment': ['总投资（亿元）', 'Investment (CNY m)'],
  'dash.col.emerging': ['新兴产业占比', 'Emerging share'],
  'dash.col.startRate': ['开工率', 'Start rate'],
  'dash.col.operating': ['投产', 'Operating'],
  'dash.col.stalled': ['停滞', 'Stalled'],
  'dash.startRateNote': ['开工率 = 已开工（在建和投产）项目 ÷ 签约项目。运城日报报道的 85.26% 以“应开工项目”为分母，台账无法区分，故口径不同。',
    'Start rate = started (under construction or operating) ÷ signed projects. The report’s 85.26% divides by the projects due to start, which a ledger cannot tell, so the figures differ.'],

  'pano.title': ['{0} · {1} 产业链全景', '{0} · {1} chain panorama'],
  'pano.area': ['区域', 'Area'],
  'pano.chain': ['产业链', 'Chain'],
  'pano.zoom': ['缩放', 'Zoom'],
  'pano.zoomIn': ['放大', 'Zoom in'],
  'pano.zoomOut': ['缩小', 'Zoom out'],
  'pano.fit': ['适应窗口', 'Fit'],
  'pano.downloadSvg': ['下载 SVG', 'Download SVG'],
  'pano.downloadPng': ['下载 PNG', 'Download PNG'],
  'pano.canvasLabel': ['产业链全景图：滚轮缩放，拖动平移，点击企业、项目或环节查看详情', 'Chain panorama: wheel to zoom, drag to pan, click an enterprise, project or segment for details'],
  'pano.hint': ['滚轮缩放 · 拖动平移 · 点击企业、项目或环节查看详情 · 图例见图下方', 'Wheel to zoom · drag to pan · click an enterprise, project or segment · legend below the picture'],
  'pano.badSvg': ['全景图无法显示（SVG 格式错误）', 'The panorama cannot be shown (malformed SVG)'],
  'pano.noChains': ['数据中还没有产业链。', 'The data holds no chain yet.'],
  'pano.completeness': ['完整度', 'Completeness'],
  'pano.totals': ['企业 {0} · 项目 {1} · 供需关系 {2} · 项目投资 {3}', '{0} enterprises · {1} projects · {2} links · {3} invested'],
  'pano.json': ['查看分析数据（JSON）', 'Analysis data (JSON)'],
  'pano.segments': ['环节分析', 'Segments'],

  'panel.county': ['所在县区', 'County'],
  'panel.status': ['项目状态', 'Status'],
  'panel.investment': ['总投资', 'Investment'],
  'panel.signed': ['签约日期', 'Signed'],
  'panel.started': ['开工日期', 'Started'],
  'panel.emerging': ['战略性新兴产业', 'Strategic emerging'],
  'panel.investor': ['投资主体', 'Investor'],
  'panel.uscc': ['统一社会信用代码', 'USCC'],
  'panel.output': ['年产值', 'Annual output'],
  'panel.leaderOf': ['链主产业链', 'Leads chains'],
  'panel.segments': ['所属环节', 'Segments'],
  'panel.source': ['来源', 'Source'],
  'panel.illustrative': ['示意数据（非真实企业）', 'illustrative (not a real company)'],
  'panel.note': ['备注', 'Note'],
  'panel.leader': ['链主', 'Chain leader'],
  'panel.cut': ['关键节点', 'Cut node'],
  'panel.outside': ['区外', 'outside the area'],
  'panel.why': ['为什么重要', 'Why it matters'],
  'panel.suppliers': ['上游供应方', 'Suppliers'],
  'panel.customers': ['下游客户', 'Customers'],
  'panel.projects': ['投资的项目', 'Projects it invests in'],
  'panel.none': ['无', 'None'],
  'panel.inLedger': ['在项目台账中查看 →', 'Open in the project ledger →'],
  'panel.unknownSegment': ['本产业链没有环节 {0}', 'The chain has no segment {0}'],

  'why.outside': ['不在“{0} · {1}”范围内，图中未显示。', 'Not in the scope {0} · {1}; not drawn in this picture.'],
  'why.cut': ['关键节点：一旦停摆，将有 {0} 家企业或项目与本地产业链主体失去联系。', 'Cut node: if it fails, {0} other enterprise(s) or project(s) lose contact with the main body of the local chain.'],
  'why.bridge': ['关键链接（影响 {0}）：与以下一方的供需关系是唯一通道：', 'Bridge (impact {0}): its link with this partner is the only path:'],
  'why.sole': ['是“{0}”环节唯一的企业或项目，一旦退出该环节即缺链。', 'The only holder of “{0}”: without it the segment is missing.'],
  'why.leader': ['链主：直接供应商 {0} 家，间接供应商 {1} 家，本地配套率 {2}，区外直接供应商 {3} 家。', 'Chain leader: {0} direct and {1} indirect suppliers, local supply rate {2}, {3} direct suppliers outside the area.'],
  'why.noSuppliers': ['—（无供应商）', '— (no suppliers)'],
  'why.chokepoints': ['供应咽喉（括号内为只能经其供货的上游数）：', 'Choke points of its supply (upstream nodes that reach it only through them):'],
  'why.dominator': ['链主供应咽喉：有 {0} 家上游只能经由它向以下链主供货：', 'Choke point of a chain leader: {0} upstream nodes reach this leader only through it:'],
  'why.project': ['补链效果排名第 {0}：填补缺链 {1} 个，薄弱转正常 {2} 个，完整度提升 {3}。', 'Ranked {0} by impact: fills {1} missing segments, turns {2} weak segments OK, completeness +{3}.'],
  'why.change': ['“{0}”：{1} → {2}', '“{0}”: {1} → {2}'],
  'why.none': ['在本范围内不是关键节点，也不是唯一主体。', 'Neither a cut node nor a sole holder in this scope.'],

  'seg.missing': ['本区域没有企业或项目布局该环节。', 'No enterprise or project of the area is in this segment.'],
  'seg.broken': ['断链：上游和下游都有企业，唯独缺这一环，供应链在此中断。', 'Broken: there is activity both upstream and downstream, but this link is missing.'],
  'seg.external': ['本区域缺少该环节，目前由区外企业供货。', 'Missing locally; supplied from outside the area today.'],
  'seg.single': ['只有一家企业或项目，抗风险能力弱。', 'Only one enterprise or project holds it.'],
  'seg.planned_only': ['尚无投产运营的主体，目前仅有签约或在建项目。', 'Nothing operating yet: only signed or ongoing projects.'],
  'seg.ok': ['{0} 家企业或项目，至少一家在运营。', '{0} enterprises or projects, at least one operating.'],
  'seg.members': ['本环节主体（{0}）', 'In this segment ({0})'],
  'seg.moreMembers': ['另有 {0} 个未列出，查看全部：', '{0} more not listed; see them all in'],
  'seg.inEnterprises': ['企业名录', 'the enterprise list'],
  'seg.inProjects': ['项目台账', 'the project ledger'],
  'ledger.segment': ['环节', 'Segment'],
  'seg.targets': ['补链招商目标', 'Who to attract'],
  'seg.targetsAll': ['{0}范围内没有“区外”候选；请选择一个县区查看招商目标。', 'Nothing lies outside the whole region; choose a county to see candidates.'],
  'seg.noCandidates': ['{0}暂无布局该环节的候选企业，可考虑{1}外招引。', 'No candidate in the region; look beyond it.'],
  'seg.score': ['推荐分', 'Score'],
  'seg.suppliesArea': ['已向本地供货', 'already supplies the area'],
  'seg.viewThere': ['在其所在地全景中查看', 'see it in its own area'],
  'seg.moreCandidates': ['共 {0} 个候选', '{0} candidates in all'],
  'seg.toGaps': ['查看完整补链清单 →', 'Full gap report →'],

  'cluster.title': ['{0}产业集群分布', '{0} industrial clusters'],
  'cluster.sub': ['各县区 × 产业链的完整度、企业项目数和投资额。点击单元格查看该县区该产业链的全景图。',
    'Completeness, enterprises, projects and investment of each county × chain. Click a cell for its panorama.'],
  'cluster.matrix': ['县区 × 产业链', 'County × chain'],
  'cluster.legend': ['完整度', 'Completeness'],
  'cluster.colorBy': ['着色', 'Colour by'],
  'cluster.byCompleteness': ['完整度', 'Completeness'],
  'cluster.byCloseness': ['接近度', 'Closeness'],
  'cluster.closenessLegend': ['接近度（缺失环节的平均关联密度）', 'Closeness (mean density of the missing segments)'],
  'cluster.closenessNote': ['接近度：该县区在该产业链上所缺环节的平均关联密度（0–1），越高说明该县区已有的环节越常与这些环节出现在同一县区；描述本地区数据中的共同分布，不是预测。',
    'Closeness: the mean density (0–1) of the segments the county lacks in the chain; higher means what the county has more often sits together with them in this region’s counties. It describes co-location in this data, not a forecast.'],
  'cluster.na': ['不适用', 'n/a'],
  'cluster.naKey': ['不适用（无缺失环节）', 'not applicable (nothing missing)'],
  'cluster.closenessTip': ['接近度 {0}', 'Closeness {0}'],
  'cluster.empty': ['无企业或项目', 'no enterprise or project'],
  'cluster.corner': ['县区', 'County'],
  'cluster.cellCounts': ['企{0} · 项{1}', '{0} E · {1} P'],
  'cluster.cellInvest': ['{0} 亿元', 'CNY {0} m'],
  'cluster.flows': ['跨县区供需流向', 'Supply between counties'],
  'cluster.flowsNote': ['按供需关系数排序', 'by number of links'],
  'cluster.noFlows': ['暂无跨县区的供需关系。', 'No supply crosses county lines yet.'],
  'cluster.col.chain': ['产业链', 'Chain'],
  'cluster.col.from': ['供给方县区', 'From county'],
  'cluster.col.to': ['需求方县区', 'To county'],
  'cluster.col.links': ['供需关系', 'Links'],
  'cluster.col.investment': ['涉及投资（亿元）', 'Investment (CNY m)'],
  'cluster.more': ['显示更多', 'Show more'],
  'cluster.flowsShown': ['已显示 {0} 条，共 {1} 条', '{0} of {1} shown'],
  'cluster.allChains': ['全部产业链', 'All chains'],
  'cluster.filter': ['筛选县区（名称或代码）', 'Filter counties (name or code)'],
  'cluster.shown': ['显示 {0} 个县区，共 {1} 个', '{0} of {1} counties'],
  'cluster.counties': ['共 {0} 个县区', '{0} counties'],
  'cluster.sortBy': ['按“{0}”排序', 'Sort by {0}'],
  'cluster.pano': ['全景', 'panorama'],
  'cluster.panoAll': ['{0}：全域产业链全景', '{0}: the whole region’s panorama'],

  'gaps.title': ['{0}补链招商清单', '{0} gap report'],
  'gaps.summary': ['缺链 {0} 个（其中断链 {1} 个），薄弱环节 {2} 个', '{0} missing segments ({1} broken), {2} weak'],
  'gaps.area': ['县区', 'County'],
  'gaps.chain': ['产业链', 'Chain'],
  'gaps.allChains': ['全部产业链', 'All chains'],
  'gaps.unknownChain': ['未知的产业链 {0}', 'Unknown chain {0}'],
  'gaps.xlsx': ['下载 Excel (xlsx)', 'Download Excel (xlsx)'],
  'gaps.csv': ['下载 CSV', 'Download CSV'],
  'gaps.fileName': ['补链清单', 'gap-report'],
  'gaps.allNote': ['{0}范围内没有“区外”候选企业：选择一个县区，查看可从其他县区引进的企业。', 'The whole region has nothing outside it: choose a county to see candidates from other counties.'],
  'gaps.index': ['产业链目录', 'Chains'],
  'gaps.indexMissing': ['缺{0}', '{0} missing'],
  'gaps.indexWeak': ['弱{0}', '{0} weak'],
  'gaps.absent': ['本区域尚无该产业链的企业或项目 · 展开查看全部 {0} 个环节的招引候选', 'The area has nothing of this chain yet · open to see candidates for all {0} segments'],
  'gaps.noGaps': ['没有缺链或薄弱环节。', 'No missing or weak segment.'],
  'gaps.impact': ['在建签约项目补链效果排名', 'Signed and ongoing projects ranked by impact'],
  'gaps.xlsxNote': ['Excel 工作簿含三张表：补链清单（每个环节推荐分最高的候选）、在建签约项目补链效果排名和口径说明；CSV 为本页所列清单（UTF-8，Excel 可直接打开）。',
    'The Excel workbook has three sheets: the gap list (the best-scored candidates of each segment), the project impact ranking and how the figures are defined; the CSV is the list on this page (UTF-8; Excel opens it directly).'],
  'rel.title': ['延链建议', 'What to grow next'],
  'rel.note': ['{0}尚无的环节，按关联密度排序', 'segments the {0} lacks, by density'],
  'rel.explain': ['关联密度（0–1）衡量的是：在本地区各县区的数据里，这个环节有多常与{0}已有的环节出现在同一个县区——它描述的是本地区数据中的共同分布，不是预测。',
    'Density (0–1) measures how often, across the counties in this region’s data, this segment sits in the same county as the segments the {0} already has: it describes co-location in this data, not a forecast.'],
  'rel.proximityNote': ['邻近度 = 同时拥有两个环节的县区数 ÷ 两者中较常见者的县区数。点击一行查看该产业链全景并定位该环节。',
    'Proximity = counties holding both segments ÷ counties holding the more common one. Click a row to see the chain’s panorama with the segment marked.'],
  'rel.because': ['因为{0}已有 {1}', 'Because the {0} already has {1}'],
  'rel.becauseFirst': ['{0}（邻近度 {1}）', '{0} (proximity {1})'],
  'rel.becauseNext': ['{0}（{1}）', '{0} ({1})'],
  'rel.otherChain': ['{0}·{1}', '{0}, {1}'],
  'rel.here.county': ['本县', 'county'],
  'rel.here.district': ['本区', 'district'],
  'rel.here.city': ['本市', 'city'],
  'rel.none': ['没有可建议的环节：本地区数据中，没有与{0}已有环节共同出现的缺失环节。', 'Nothing to suggest: no segment the {0} lacks sits together with what it has in this region’s data.'],
  'rel.all': ['延链建议按县区计算：请选择一个县区。', 'Suggestions are worked out per county: choose a county.'],
  'rel.zone': ['延链建议按县区计算（开发区并入所属县区）：', 'Suggestions are worked out per county (a zone counts with its county): '],
  'rel.zoneLink': ['查看{0}的延链建议', 'see {0}'],
  'rel.col.segment': ['建议延伸的环节', 'Segment'],
  'rel.col.chain': ['产业链', 'Chain'],
  'rel.col.density': ['关联密度', 'Density'],
  'rel.col.because': ['依据', 'Why'],
  'rel.failed': ['延链建议暂时无法加载：{0}', 'The suggestions could not be loaded: {0}'],
  'gaps.col.segment': ['环节', 'Segment'],
  'gaps.col.status': ['状态', 'Status'],
  'gaps.col.candidates': ['候选企业（推荐分与理由）', 'Candidates (score and reasons)'],
  'gaps.col.rank': ['排名', 'Rank'],
  'gaps.col.project': ['项目', 'Project'],
  'gaps.col.county': ['县区', 'County'],
  'gaps.col.projectStatus': ['状态', 'Status'],
  'gaps.col.investment': ['投资（亿元）', 'Investment (CNY m)'],
  'gaps.col.filled': ['补缺链', 'Fills'],
  'gaps.col.weakToOk': ['强薄弱', 'Weak→OK'],
  'gaps.col.gain': ['完整度提升', 'Completeness gain'],
  'gaps.col.changes': ['环节变化', 'Segment changes'],

  'csv.area': ['县区', 'Area'],
  'csv.chain': ['产业链', 'Chain'],
  'csv.segment': ['环节', 'Segment'],
  'csv.stage': ['位置', 'Stage'],
  'csv.status': ['状态', 'Status'],
  'csv.broken': ['断链', 'Broken'],
  'csv.rank': ['候选序号', 'Candidate rank'],
  'csv.candidate': ['候选企业', 'Candidate'],
  'csv.candidateId': ['候选编号', 'Candidate id'],
  'csv.candidateCounty': ['候选所在县区', 'Candidate county'],
  'csv.score': ['推荐分', 'Score'],
  'csv.reasons': ['推荐理由', 'Reasons'],

  'ledger.title': ['项目台账', 'Project ledger'],
  'ledger.subRead': ['查询招商项目。如需修改，请点击右上角“编辑”输入编辑令牌。', 'Browse the investment projects. To edit, click “Edit” at the top right and enter the editor token.'],
  'ledger.subEdit': ['编辑模式：可新建、修改、删除项目，每次保存都经过完整校验并记入审计日志。', 'Editing: create, change and delete projects; every save is fully validated and audited.'],
  'ledger.new': ['新建项目', 'New project'],
  'ledger.q': ['名称或编号', 'Name or id'],
  'ledger.qPlaceholder': ['如：锂电池', 'e.g. a word of the name'],
  'ledger.county': ['县区', 'County'],
  'ledger.chain': ['产业链', 'Chain'],
  'ledger.status': ['状态', 'Status'],
  'ledger.emerging': ['新兴产业', 'Emerging'],
  'ledger.signedFrom': ['签约日期起', 'Signed from'],
  'ledger.signedTo': ['签约日期止', 'Signed to'],
  'ledger.pageSize': ['每页', 'Per page'],
  'ledger.perPage': ['{0} 条', '{0}'],
  'ledger.apply': ['查询', 'Apply'],
  'ledger.reset': ['重置', 'Reset'],
  'ledger.count': ['共 {0} 个项目', '{0} projects'],
  'ledger.none': ['没有符合条件的项目。', 'No project matches.'],
  'ledger.col.id': ['项目编号', 'Id'],
  'ledger.col.name': ['项目名称', 'Name'],
  'ledger.col.county': ['所在县区', 'County'],
  'ledger.col.segments': ['所属环节', 'Segments'],
  'ledger.col.investment': ['总投资（亿元）', 'Investment (CNY m)'],
  'ledger.col.signed': ['签约日期', 'Signed'],
  'ledger.col.status': ['项目状态', 'Status'],
  'ledger.col.emerging': ['战略性新兴产业', 'Emerging'],
  'ledger.col.actions': ['操作', 'Actions'],
  'ledger.edit': ['编辑', 'Edit'],
  'ledger.pages': ['分页', 'Pages'],
  'ledger.prev': ['上一页', 'Previous'],
  'ledger.next': ['下一页', 'Next'],
  'ledger.pageOf': ['第 {0} / {1} 页', 'Page {0} of {1}'],

  'form.investment': ['总投资（亿元）', 'Investment (CNY m)'],
  'form.investor': ['投资主体（企业编号）', 'Investor (enterprise id)'],
  'form.investorHint': ['可留空', 'optional'],
  'form.started': ['开工日期', 'Started'],
  'form.source': ['来源', 'Source'],
  'form.note': ['备注', 'Note'],
  'form.chosen': ['已选：{0}', 'chosen: {0}'],
  'form.noneChosen': ['尚未选择', 'none chosen'],
  'form.save': ['保存', 'Save'],
  'form.cancel': ['取消', 'Cancel'],
  'form.cascade': ['同时删除它的供需关系', 'also delete its supply links'],
  'form.deleteConfirm': ['确认删除', 'Delete'],
  'form.refused': ['未保存（{0}）：', 'Not saved ({0}):'],
  'form.saved': ['已保存：{0}', 'Saved: {0}'],
  'form.deleted': ['已删除：{0}', 'Deleted: {0}'],
  'form.openFailed': ['无法打开记录：{0}', 'The record cannot be opened: {0}'],
  'form.staleChanged': ['您打开之后，他人修改了：', 'Changed by someone else since you opened it:'],
  'form.reload': ['载入最新内容', 'Load the latest version'],
  'form.reloadHint': ['载入后，表单中尚未保存的修改将被替换。', 'Unsaved changes in the form will be replaced.'],
  'form.reloaded': ['已载入最新内容（修订后的版本），请重新修改后保存。', 'The latest version is loaded; make your changes again and save.'],

  'asof.now': ['当前数据', 'Live data'],
  'asof.pastDate': ['{0} 的数据', 'As of {0}'],
  'asof.pastRev': ['修订 {0} 的数据', 'As of rev. {0}'],
  'asof.title': ['查看过去某一时间的数据', 'View the data as it was'],
  'asof.date': ['日期（当天结束时，北京时间）', 'Date (end of day, Beijing time)'],
  'asof.or': ['或选择一次修订', 'or choose a revision'],
  'asof.pick': ['选择修订…', 'Choose a revision…'],
  'asof.option': ['修订 {0} · {1} · {2}', 'rev. {0} · {1} · {2}'],
  'asof.loadingRevs': ['正在加载修订列表…', 'Loading the revisions…'],
  'asof.moreRevs': ['仅列出最近 {0} 次修订，共 {1} 次；更早的请按日期查看。', 'The latest {0} of {1} revisions; choose a date for earlier ones.'],
  'asof.apply': ['查看', 'View'],
  'asof.back': ['回到当前', 'Back to now'],
  'asof.choose': ['请选择日期或修订。', 'Choose a date or a revision.'],
  'asof.hint': ['查看过去的数据时，所有页面和下载（SVG、PNG、Excel、CSV）都按所选时间生成，不能编辑。', 'While you view the past, every page and download (SVG, PNG, Excel, CSV) shows the data as of that time, and editing is off.'],
  'asof.viewing': ['正在查看 {0} 的数据', 'Viewing the data as of {0}'],
  'asof.viewingDate': ['正在查看 {0} 的数据（修订 {1}）', 'Viewing the data as of {0} (revision {1})'],
  'asof.viewingRev': ['正在查看修订 {0} 的数据', 'Viewing the data as of revision {0}'],
  'asof.detail': ['修订 {0} 于 {1}（北京时间）由 {2} 提交：{3}', 'Revision {0}, {1} Beijing time, by {2}: {3}'],
  'asof.latest': ['这是最新修订，与当前数据相同。', 'This is the latest revision: the same as now.'],
  'asof.readOnly': ['只读', 'Read-only'],
  'asof.failed': ['无法查看 {0} 的数据：{1}', 'The data as of {0} cannot be shown: {1}'],
  'asof.noRevision': ['没有修订 {0}（现有 1–{1}）', 'There is no revision {0} (there are 1–{1})'],
  'asof.noneBefore': ['{0} 之前没有任何修订', 'There is no revision on or before {0}'],
  'asof.invalid': ['“{0}”不是修订号，也不是日期（YYYY-MM-DD）', '“{0}” is neither a revision number nor a date (YYYY-MM-DD)'],
  'asof.actorCli': ['命令行', 'command line'],
  'asof.actorEditor': ['网页编辑', 'web editor'],
  'asof.file': ['截至{0}', 'as-of-{0}'],
  'asof.fileRev': ['修订{0}', 'rev{0}'],

  'hist.title': ['修改历史', 'History'],
  'hist.none': ['没有修改记录。', 'No change recorded.'],
  'hist.failed': ['修改历史无法加载：{0}', 'The history cannot be loaded: {0}'],
  'hist.rev': ['修订 {0}', 'Rev. {0}'],
  'hist.change.added': ['新增', 'added'],
  'hist.change.changed': ['修改', 'changed'],
  'hist.change.removed': ['删除', 'removed'],
  'hist.empty': ['（空）', '(empty)'],
  'hist.noFields': ['字段内容没有变化。', 'No field changed.'],
  'hist.later': ['晚于所查看的时间', 'after the time viewed'],
  'hist.then': ['查看当时的数据', 'View the data then'],
  'hist.timeNote': ['时间为北京时间', 'Times are Beijing time'],

  'field.id': ['编号', 'Id'],
  'field.name': ['名称', 'Name'],
  'field.uscc': ['统一社会信用代码', 'USCC'],
  'field.investor': ['投资主体', 'Investor'],
  'field.county': ['所在县区', 'County'],
  'field.segments': ['所属环节', 'Segments'],
  'field.leader_of': ['链主产业链', 'Leads chains'],
  'field.investment_wan': ['总投资', 'Investment'],
  'field.output_wan': ['年产值', 'Annual output'],
  'field.signed': ['签约日期', 'Signed'],
  'field.started': ['开工日期', 'Started'],
  'field.status': ['项目状态', 'Status'],
  'field.emerging': ['战略性新兴产业', 'Strategic emerging'],
  'field.source': ['来源', 'Source'],
  'field.note': ['备注', 'Note'],

  'ledger.history': ['历史', 'History'],
  'ledger.subPast': ['正在查看过去的数据：不能新建、修改或删除，回到当前后即可编辑。', 'Viewing past data: creating, changing and deleting are off until you go back to now.'],

  'cluster.map.title': ['产业集群分布图', 'Cluster map'],
  'cluster.map.hint': ['县区颜色为所选指标，箭头为跨县供需关系；指向县区查看数据，点击打开该县区的产业链全景图。',
    'Counties are coloured by the chosen metric, arrows are supply links between counties; point at a county for its figures, click to open its chain panorama.'],
  'cluster.map.chain': ['产业链', 'Chain'],
  'cluster.map.metric': ['指标', 'Metric'],
  'cluster.map.metric.completeness': ['完整度', 'Completeness'],
  'cluster.map.metric.investment': ['项目投资', 'Investment'],
  'cluster.map.metric.relatedness': ['关联密度', 'Relatedness'],
  'cluster.map.downloadSvg': ['下载 SVG', 'Download SVG'],
  'cluster.map.downloadPng': ['下载 PNG', 'Download PNG'],
  'cluster.map.noChain': ['本地区还没有产业链。', 'The region has no chains yet.'],
  'cluster.map.none': ['本地区尚未导入县区边界，暂不能显示地图，下方仍可查看县区 × 产业链矩阵。',
    'No county boundaries for this region yet, so there is no map; the county × chain matrix is below.'],
  'cluster.map.noneHow': ['导入一个 GeoJSON 文件（每个县区一个 Polygon 或 MultiPolygon 要素，以县区代码 code/adcode 或名称 name 标明）：',
    'Import a GeoJSON file (one Polygon or MultiPolygon feature per county, named by its code — code/adcode — or its name):'],
  'cluster.map.upload': ['上传边界 GeoJSON', 'Upload boundaries (GeoJSON)'],
  'cluster.map.uploading': ['正在上传…', 'Uploading…'],
  'cluster.map.uploaded': ['已导入 {0} 个县区的边界。', 'Boundaries of {0} counties imported.'],

  // ---- issue #12 (web app): units, editors, every record editable, one language per screen
  'sep.list': ['、', ', '],
  'level.cityOwn': ['市本级', 'region level'],
  'level.city': ['市', 'city'],
  'level.province': ['省', 'province'],
  'level.provinceOwn': ['省本级', 'region level'],
  'area.city': ['全市', 'Whole city'],
  'area.province': ['全省', 'Whole province'],
  'nav.enterprises': ['企业名录', 'Enterprises'],
  'nav.audit': ['修改记录', 'Audit'],
  'panel.inDirectory': ['在企业名录中查看 →', 'Open in the enterprise directory →'],
  'panel.edit': ['编辑此记录 →', 'Edit this record →'],

  'form.newTitle.project': ['新建项目', 'New project'],
  'form.editTitle.project': ['编辑项目 {0}', 'Edit project {0}'],
  'form.newTitle.enterprise': ['新建企业', 'New enterprise'],
  'form.editTitle.enterprise': ['编辑企业 {0}', 'Edit enterprise {0}'],
  'form.delete.project': ['删除项目', 'Delete project'],
  'form.delete.enterprise': ['删除企业', 'Delete enterprise'],
  'form.delete.link': ['删除供需关系', 'Delete link'],
  'form.deleteQuestion.project': ['确定删除这个项目吗？此操作会记入审计日志。', 'Delete this project? The deletion is recorded in the audit log.'],
  'form.deleteQuestion.enterprise': ['确定删除这家企业吗？此操作会记入审计日志。', 'Delete this enterprise? The deletion is recorded in the audit log.'],
  'form.deleteQuestion.link': ['确定删除这条供需关系吗？此操作会记入审计日志。', 'Delete this supply link? The deletion is recorded in the audit log.'],
  'form.staleGone.project': ['该项目已被他人删除。', 'Someone else has deleted the project.'],
  'form.staleGone.enterprise': ['该企业已被他人删除。', 'Someone else has deleted the enterprise.'],
  'form.enterpriseId': ['企业编号', 'Id'],
  'form.enterpriseName': ['企业名称', 'Name'],
  'form.usccHint': ['18 位，可留空', '18 characters, optional'],
  'form.output': ['年产值（亿元）', 'Annual output (CNY m)'],
  'form.leaderOf': ['链主产业链（该企业是哪些产业链的链主）', 'Chain leader of (the chains this enterprise leads)'],
  'form.notNumber': ['金额不是数字', 'The amount is not a number'],
  'form.notNumberField': ['请输入数字（单位：{0}）', 'Type a number (in {0})'],
  'form.scaleQuestion': ['金额由 {0} 改为 {1}，相差约 {2} 倍。是否把万元当成了亿元（或反之）？', 'The amount changes from {0} to {1}, about {2} times. Was it typed in the wrong unit?'],
  'form.scaleYes': ['金额无误，保存', 'The amount is right: save'],
  'form.scaleNo': ['返回修改', 'Change it'],
  'form.problemValue': ['{0}（值：{1}）', '{0} (value: {1})'],
  'warn.operating_without_started': ['项目状态为投产，但未填开工日期。', 'The project is operating but has no start date.'],

  'link.title': ['供需关系', 'Supply links'],
  'link.count': ['共 {0} 条', '{0} in all'],
  'link.supplier': ['供应方', 'supplier'],
  'link.customer': ['客户', 'customer'],
  'link.newSupplier': ['新增上游供应方', 'Add a supplier'],
  'link.newCustomer': ['新增下游客户', 'Add a customer'],
  'link.newTitle': ['新建供需关系', 'New supply link'],
  'link.editTitle': ['编辑供需关系', 'Edit supply link'],
  'link.from': ['供应方（企业或项目编号）', 'Supplier (enterprise or project id)'],
  'link.to': ['需求方（企业或项目编号）', 'Customer (enterprise or project id)'],
  'link.product': ['产品', 'Product'],
  'link.pickHint': ['输入名称、编号或信用代码搜索全部企业', 'type a name, id or USCC to search every enterprise'],
  'link.saved': ['已保存供需关系：{0} → {1}', 'Link saved: {0} → {1}'],
  'link.deleted': ['已删除供需关系：{0} → {1}', 'Link deleted: {0} → {1}'],
  'field.from': ['供应方', 'Supplier'],
  'field.to': ['需求方', 'Customer'],
  'field.product': ['产品', 'Product'],
  'hist.county': ['{0}（{1}）', '{0} ({1})'],

  'sum.create': ['新增', 'created'],
  'sum.update': ['修改', 'changed'],
  'sum.delete': ['删除', 'deleted'],
  'sum.upload': ['网页上传', 'upload'],
  'sum.import': ['命令行导入', 'import'],
  'sum.replace': ['替换', 'replacing'],
  'sum.merge': ['合并', 'merging'],
  'sum.record': ['{0}{1} {2}', '{1} {2} {0}'],
  'sum.bulk': ['{0}（{1}）{2}', '{0}, {1} {2}'],
  'sum.init': ['载入内置数据', 'built-in data loaded'],
  'sum.noChange': ['无变化', 'no change'],
  'sum.count': ['{0} {1} 条', '{0}: {1}'],
  'sum.join': ['{0}：{1}', '{0}: {1}'],
  'sum.kind.region': ['地区', 'region'],
  'sum.kind.county': ['县区', 'counties'],
  'sum.kind.chain': ['产业链', 'chains'],
  'sum.kind.segment': ['环节', 'segments'],
  'sum.kind.enterprise': ['企业', 'enterprises'],
  'sum.kind.project': ['项目', 'projects'],
  'sum.kind.link': ['供需关系', 'links'],

  'cand.supplies_area': ['已向本县区供货', 'already supplies the area'],
  'cand.leader': ['本产业链链主', 'leader of this chain'],
  'cand.project_operating': ['项目已投产', 'project operating'],
  'cand.project_not_operating': ['项目{0}，尚未投产', 'project {0}, not yet operating'],
  'cand.operating': ['在产企业', 'operating enterprise'],
  'cand.chain_partners': ['本产业链供需伙伴 {0} 个', '{0} supply partners in the chain'],
  'cand.chain_partner': ['本产业链供需伙伴 1 个', '1 supply partner in the chain'],
  'cand.output': ['年产值 {0}', 'annual output {0}'],
  'cand.sep': ['；', '; '],
  'gaps.change': ['{0}：{1}→{2}', '{0}: {1} → {2}'],
  'why.dominates': ['（{0}）', ' ({0})'],

  'ent.title': ['企业名录', 'Enterprises'],
  'ent.subRead': ['查询全部企业。如需修改，请点击右上角“编辑”输入编辑令牌。', 'Browse every enterprise. To edit, click “Edit” at the top right and enter the editor token.'],
  'ent.subEdit': ['编辑模式：可新建、修改、删除企业及其供需关系，每次保存都经过完整校验并记入修改记录。', 'Editing: create, change and delete enterprises and their supply links; every save is fully validated and audited.'],
  'ent.new': ['新建企业', 'New enterprise'],
  'ent.newLink': ['新建供需关系', 'New supply link'],
  'ent.q': ['名称、编号或信用代码', 'Name, id or USCC'],
  'ent.count': ['共 {0} 家企业', '{0} enterprises'],
  'ent.none': ['没有符合条件的企业。', 'No enterprise matches.'],
  'ent.col.leader': ['链主', 'Leads'],
  'ent.col.output': ['年产值（亿元）', 'Output (CNY m)'],

  'audit.title': ['修改记录', 'Audit log'],
  'audit.sub': ['每一次保存、导入和上传都是一次修订：谁在何时（北京时间）改了什么。', 'Every save, import and upload is a revision: who changed what, and when (Beijing time).'],
  'audit.col.rev': ['修订', 'Rev.'],
  'audit.col.at': ['时间（北京时间）', 'Time (Beijing)'],
  'audit.col.by': ['修改人', 'By'],
  'audit.col.summary': ['内容', 'What'],
  'audit.count': ['共 {0} 次修订', '{0} revisions'],
  'audit.older': ['更早的修订', 'Older revisions'],
  'audit.newest': ['最新的修订', 'Newest revisions'],
  'audit.then': ['查看当时的数据', 'View the data then'],

  'dash.regionLevelRow': ['{0} · {1}', '{0} · {1}'],
  'dash.others': ['其他 {0} 个县区', '{0} others'],
  'dash.othersTitle': ['其他 {0} 个县区合计：{1}', '{0} other counties together: {1}'],
  'dash.regionLevelNote': ['{0}：不属于任何县区的项目', '{0}: projects of no county'],
};

// The texts of the investment drive over time (#13): leads 招商线索, the
// funnel, periods on the dashboard, what changed, 未布局 / 在谈.
const driveMessages = {
  'nav.leads': ['招商线索', 'Leads'],
  'nav.funnel': ['招商漏斗', 'Funnel'],
  'nav.changes': ['变化对比', 'Changes'],
  'lead.stage.visited': ['走访', 'Visited'],
  'lead.stage.intent': ['意向', 'Intent'],
  'lead.stage.inspected': ['考察', 'Inspected'],
  'lead.stage.negotiating': ['洽谈', 'Negotiating'],
  'lead.stage.signed': ['签约', 'Signed'],
  'lead.stage.dropped': ['放弃', 'Dropped'],
  'lead.title': ['招商线索', 'Investment leads'],
  'lead.subRead': ['在谈的目标企业：走访 → 意向 → 考察 → 洽谈 → 签约。输入编辑令牌后可新建、推进和放弃线索。', 'Target companies being pursued: visited → intent → inspected → negotiating → signed. Enter an editor token to add, advance and drop leads.'],
  'lead.subEdit': ['编辑模式：可新建、修改线索，推进到下一阶段（记今天的日期）或放弃（需填写原因）。', 'Edit mode: add and change leads, advance one to the next stage (dated today) or drop it (with a reason).'],
  'lead.subPast': ['正在查看历史数据，只读。', 'Viewing past data: read-only.'],
  'lead.new': ['新建线索', 'New lead'],
  'lead.count': ['共 {0} 条线索', '{0} leads'],
  'lead.none': ['没有符合条件的线索。', 'No leads match.'],
  'lead.qPlaceholder': ['企业名称、编号或负责人', 'Company, id or officer'],
  'lead.idsFilter': ['漏斗中所选的 {0} 条线索', 'The {0} leads behind the funnel bar'],
  'lead.toFunnel': ['招商漏斗', 'Funnel'],
  'lead.col.id': ['编号', 'Id'],
  'lead.col.name': ['目标企业', 'Target company'],
  'lead.col.county': ['负责县区', 'County'],
  'lead.col.stage': ['阶段', 'Stage'],
  'lead.col.date': ['到达日期', 'Reached'],
  'lead.enterprise': ['库内企业编号', 'Stored enterprise id'],
  'lead.enterpriseHint': ['目标企业已在库中时填写', 'When the target is already in the data'],
  'lead.dates': ['各阶段日期', 'Date of each stage'],
  'lead.project': ['签约项目编号', 'Signed project id'],
  'lead.projectHint': ['签约后必填', 'Required once signed'],
  'lead.owner': ['负责人', 'Officer'],
  'lead.reason': ['放弃原因', 'Reason for dropping'],
  'lead.reasonHint': ['放弃时填写', 'When dropped'],
  'lead.reasonShown': ['原因：{0}', 'Reason: {0}'],
  'lead.reasonNeeded': ['请填写放弃原因。', 'Give the reason for dropping it.'],
  'lead.advance': ['推进到{0}', 'To {0}'],
  'lead.advanceTitle': ['推进到“{0}”，日期记为今天', 'Advance to “{0}”, dated today'],
  'lead.advanced': ['线索 {0} 已推进到{1}', 'Lead {0} advanced to {1}'],
  'lead.drop': ['放弃', 'Drop'],
  'lead.dropTitle': ['放弃线索：{0}', 'Drop lead: {0}'],
  'lead.dropConfirm': ['确认放弃', 'Drop it'],
  'lead.dropped': ['线索 {0} 已放弃', 'Lead {0} dropped'],
  'lead.toProject': ['签约项目 {0}', 'Project {0}'],
  'lead.stored': ['库内企业 {0}', 'Stored enterprise {0}'],
  'lead.fromTarget': ['转为线索', 'Make a lead'],
  'lead.newNeedsToken': ['新建线索需要编辑令牌：请先点“编辑”输入令牌。', 'Adding a lead needs an editor token: click “Edit” first.'],
  'lead.newPast': ['正在查看历史数据，不能新建线索。', 'Viewing past data: no new leads.'],
  'form.newTitle.lead': ['新建线索', 'New lead'],
  'form.editTitle.lead': ['编辑线索 {0}', 'Edit lead {0}'],
  'form.delete.lead': ['删除线索', 'Delete lead'],
  'form.deleteQuestion.lead': ['确定删除这条线索吗？此操作会记入审计日志。（不再跟进请用“放弃”。）', 'Delete this lead? The deletion is recorded in the audit log. (To stop pursuing it, drop it instead.)'],
  'form.staleGone.lead': ['该线索已被他人删除。', 'Someone else has deleted the lead.'],
  'field.enterprise': ['库内企业', 'Stored enterprise'],
  'field.stage': ['阶段', 'Stage'],
  'field.dates': ['各阶段日期', 'Stage dates'],
  'field.project': ['签约项目', 'Project'],
  'field.owner': ['负责人', 'Officer'],
  'field.reason': ['放弃原因', 'Reason'],
  'sum.kind.lead': ['线索', 'leads'],
  'sum.kind.report': ['上报数据', 'reports'],

  'funnel.title': ['招商漏斗', 'Investment funnel'],
  'funnel.sub': ['每个阶段到达的线索数及较上一阶段的转化率；点击一栏查看其中的线索。', 'Leads that reached each stage and the conversion from the stage before; click a bar for its leads.'],
  'funnel.toLeads': ['线索列表', 'Lead list'],
  'funnel.allChains': ['全部产业链', 'all chains'],
  'funnel.period': ['{0} 至 {1}', '{0} to {1}'],
  'funnel.noPeriod': ['不限时间', 'all time'],
  'funnel.from': ['起始日期', 'From'],
  'funnel.to': ['截止日期', 'To'],
  'funnel.ytd': ['今年以来', 'Year to date'],
  'funnel.allTime': ['不限时间', 'All time'],
  'funnel.rate': ['转化率 {0}', 'conversion {0}'],
  'funnel.dropped': ['放弃：{0} 条', 'Dropped: {0}'],
  'funnel.showDropped': ['查看', 'Show'],
  'funnel.note': ['按时间段统计时，只计在该时间段内到达该阶段（有日期）的线索。', 'With a period, a lead counts for a stage only when it reached it (dated) inside the period.'],

  'chg.title': ['变化对比', 'What changed'],
  'chg.sub': ['两次修订（或两个保存日期）之间：补上的链、新出现的缺链、新的关键节点、开工和停滞的项目。', 'Between two revisions (or save dates): gaps closed, new gaps, new single points of failure, projects started or stalled.'],
  'chg.noRevisions': ['还没有任何修订。', 'No revisions yet.'],
  'chg.from': ['起点', 'From'],
  'chg.to': ['终点', 'To'],
  'chg.orDate': ['或日期', 'or date'],
  'chg.compare': ['对比', 'Compare'],
  'chg.endRev': ['修订 {0}（{1}，{2}：{3}）', 'rev. {0} ({1}, {2}: {3})'],
  'chg.asOf': ['看修订 {0} 时的全景', 'panorama at rev. {0}'],
  'chg.absent': ['无', 'none'],
  'chg.none': ['无', 'None'],
  'chg.k.closed': ['补链', 'Gaps closed'],
  'chg.k.opened': ['新增缺链', 'New gaps'],
  'chg.k.cuts': ['新增关键节点', 'New single points of failure'],
  'chg.k.started': ['开工项目', 'Projects started'],
  'chg.k.stalled': ['停滞项目', 'Projects stalled'],
  'chg.closed': ['补链：{0} 个环节', 'Gaps closed: {0}'],
  'chg.opened': ['新增缺链：{0} 个环节', 'New gaps: {0}'],
  'chg.cuts': ['新增关键节点（单点风险）：{0} 个', 'New single points of failure: {0}'],
  'chg.started': ['开工项目：{0} 个', 'Projects started: {0}'],
  'chg.stalled': ['停滞项目：{0} 个', 'Projects stalled: {0}'],
  'chg.records': ['改动的记录：{0} 条', 'Records changed: {0}'],
  'chg.recordLine': ['{0}{1} {2} 条', '{0} {1}: {2}'],

  'mark.notPursued': ['未布局', 'Not pursued'],
  'mark.notPursuedTitle': ['该县区未将此产业链列为主导产业链，其缺链不计入县区合计。', 'The county does not develop this chain; its gaps do not add up into the county’s.'],
  'mark.notPursuedNote': ['{0} 条产业链未布局（不在该县区的主导产业链中），列在最后，其缺链不计入合计。', '{0} chains are not pursued by the county (not among its chains): listed last, their gaps left out of the totals.'],
  'mark.pursuing': ['在谈 ({0})', 'Being pursued ({0})'],
  'mark.showLeads': ['查看线索', 'Show the leads'],
  'audit.diff': ['与上一修订对比', 'Compare with the one before'],
  'per.report': ['打印月度通报', 'Print the monthly report'],
  'per.funnel': ['本期招商漏斗', 'Funnel of the period'],
  'per.title': ['分期统计：{0}', 'By period: {0}'],
  'per.bounds': ['{0} 至 {1}，对比 {2} 至 {3}（按签约、开工日期）', '{0} to {1}, against {2} to {3} (by signing and start dates)'],
  'per.kind': ['统计期', 'Period'],
  'per.kind.month': ['月度', 'Month'],
  'per.kind.quarter': ['季度', 'Quarter'],
  'per.kind.ytd': ['年初至今', 'Year to date'],
  'per.month': ['截至月份', 'Month'],
  'per.name.month': ['{0}年{1}月', '{1}/{0}'],
  'per.name.ytd': ['{0}年1–{1}月', 'Jan–{1}/{0}'],
  'per.name.quarter': ['{0}年第{1}季度', 'Q{1} {0}'],
  'per.vsPrev': ['较上期', 'vs previous'],
  'per.points': ['{0} 个百分点', '{0} pts'],
  'per.started': ['签约且开工', 'Signed and started'],
  'per.reported': ['上报口径', 'As reported'],
  'per.ledger': ['台账口径', 'Ledger'],
  'per.b.signed': ['签约项目', 'Projects signed'],
  'per.b.investment': ['总投资', 'Investment'],
  'per.b.startRate': ['开工率', 'Start rate'],
  'per.b.rateOf': ['{0}（{1}/{2}）', '{0} ({1}/{2})'],
  'per.b.emerging': ['战略性新兴产业项目', 'Strategic emerging'],
  'per.b.target': ['占年度目标', 'Of the annual target'],
  'per.b.shareOf': ['{0}（目标 {1}）', '{0} (target {1})'],
  'per.source': ['上报口径来源：{0}。', 'Reported figures from: {0}.'],
  'per.basisNote': ['台账口径只计台账中列明的项目；上报口径的开工率以应开工项目为分母。', 'The ledger counts only the projects it names; the reported start rate divides by the projects due to start.'],
  'per.ranking': ['县区晾晒（点击列名排序）', 'Counties ranked (click a column to sort)'],
  'per.rank': ['名次', 'Rank'],
  'per.fig.signed': ['签约', 'Signed'],
  'per.fig.investment_wan': ['投资（亿元）', 'Investment (CNY m)'],
  'per.fig.started': ['开工', 'Started'],
  'per.fig.start_rate': ['开工率', 'Start rate'],
  'per.fig.emerging': ['新兴产业', 'Emerging'],
};
Object.assign(messages, driveMessages);

// LEAD_PIPELINE are the stages a lead moves through (SPEC §9); LEAD_STAGES
// adds dropped, which ends a lead at any stage.
export const LEAD_PIPELINE = ['visited', 'intent', 'inspected', 'negotiating', 'signed'];
export const LEAD_STAGES = [...LEAD_PIPELINE, 'dropped'];

// leadStageLabel names a lead's stage (走访 … 签约, 放弃).
export function leadStageLabel(stage) {
  return t('lead.stage.' + stage);
}

// STATUSES are the project statuses in their natural order.
export const STATUSES = ['signed', 'started', 'operating', 'stalled', 'cancelled'];

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

let current = stored();
const listeners = [];

// lang is the language on screen: "zh" or "en".
export function lang() {
  return current;
}

// setLang switches the language, remembers it and tells the listeners.
export function setLang(l) {
  current = l === 'en' ? 'en' : 'zh';
  try {
    localStorage.setItem(STORAGE_KEY, current);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  for (const fn of listeners) {
    fn(current);
  }
}

// onLangChange registers fn to run after every switch.
export function onLangChange(fn) {
  listeners.push(fn);
}

// t returns the message key in the current language with {0}, {1}, …
// replaced by args. An unknown key is returned as it is, so a gap in the
// table shows on screen instead of breaking the page.
export function t(key, ...args) {
  const m = messages[key];
  if (!m) {
    return key;
  }
  const s = m[current === 'en' ? 1 : 0];
  return s.replace(/\{(\d+)\}/g, (_, i) => (args[i] === undefined ? '' : String(args[i])));
}

// Number formats are built once per language and options: building an
// Intl.NumberFormat is far dearer than using one.
const formats = new Map();

function fmt(l, opts) {
  const key = l + JSON.stringify(opts);
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(l === 'en' ? 'en-US' : 'zh-CN', opts);
    formats.set(key, f);
  }
  return f;
}


// num formats a count.
export function num(n) {
  return fmt(current, {}).format(Number(n || 0));
}

// group puts a comma between each three digits of the integer part of a
// decimal text, as amount.go's groupDigits does.
function group(s) {
  let sign = '';
  if (s.startsWith('-')) {
    sign = '-';
    s = s.slice(1);
  }
  if (/^0(\.0+)?$/.test(s)) {
    sign = ''; // no "-0.00"
  }
  const dot = s.indexOf('.');
  const int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot);
  return sign + int.replace(/\B(?=(\d{3})+$)/g, ',') + frac;
}

// roundAway rounds half away from zero, as Go's math.Round.
function roundAway(x) {
  return Math.sign(x) * Math.round(Math.abs(x));
}

// yiNum is an amount in 万元 as a bare number for a column whose header
// names the unit (amountUnit): 亿元 with two decimals in Chinese
// ("1,481.37"), millions of yuan in English ("148,137") — amount.go's
// FormatYiNumber and FormatAmount without their unit.
export function yiNum(wanAmount) {
  const w = Number(wanAmount || 0);
  if (current === 'en') {
    return group(String(roundAway(w / 100)));
  }
  return group((w / 10000).toFixed(2));
}

// yi is an amount in 万元 written with its unit, the one rule of the app
// and of amount.go's FormatAmount: "1,481.37 亿元", "CNY 148,137 m".
export function yi(wanAmount) {
  return current === 'en' ? 'CNY ' + yiNum(wanAmount) + ' m' : yiNum(wanAmount) + ' 亿元';
}

// wan is yi under its older name: every amount reads the same way.
export function wan(wanAmount) {
  return yi(wanAmount);
}

// amountUnit is the unit an officer types amounts in: 亿元, or CNY m.
export function amountUnit() {
  return current === 'en' ? 'CNY m' : '亿元';
}

// shiftDecimal moves the decimal point of a plain decimal text by places
// (positive: right), on the digits, so no binary fraction creeps in:
// shiftDecimal('0.07', 4) is '700'.
function shiftDecimal(text, places) {
  let s = text;
  let sign = '';
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s[0] === '-' ? '-' : '';
    s = s.slice(1);
  }
  const dot = s.indexOf('.');
  let int = dot < 0 ? s : s.slice(0, dot);
  let frac = dot < 0 ? '' : s.slice(dot + 1);
  if (places > 0) {
    frac = frac.padEnd(places, '0');
    int += frac.slice(0, places);
    frac = frac.slice(places);
  } else if (places < 0) {
    int = int.padStart(-places + 1, '0');
    frac = int.slice(int.length + places) + frac;
    int = int.slice(0, int.length + places);
  }
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  return sign + (int || '0') + (frac ? '.' + frac : '');
}

// wanFromInput reads an amount typed in amountUnit() (亿元, or CNY m; digit
// grouping and spaces allowed) and returns it in 万元, exactly as typed:
// 0.07 亿元 is 700 万元. It returns NaN for a text that is no number.
export function wanFromInput(text) {
  const s = String(text || '').replace(/[,，\s]/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(s)) {
    return NaN;
  }
  return Number(shiftDecimal(s, current === 'en' ? 2 : 4));
}

// inputFromWan writes an amount in 万元 as the number an officer edits in
// amountUnit(), without rounding: 700 万元 is "0.07" (亿元).
export function inputFromWan(wanAmount) {
  let s = String(Number(wanAmount));
  if (/e/i.test(s)) {
    s = Number(wanAmount).toFixed(20);
  }
  return shiftDecimal(s, current === 'en' ? -2 : -4);
}

// pct formats a share in [0, 1] as a percentage.
export function pct(share, digits = 2) {
  return (Number(share || 0) * 100).toFixed(digits) + '%';
}

// beijingTime writes an RFC 3339 instant (a revision's `at`) as the
// wall-clock time in Beijing, "2024-04-30 10:23": China keeps UTC+8 all
// year, so no time-zone table is needed, and every browser shows the time
// the server's dates (as_of=YYYY-MM-DD) mean.
export function beijingTime(at) {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) {
    return String(at || '');
  }
  const s = new Date(ms + 8 * 3600 * 1000).toISOString();
  return s.slice(0, 10) + ' ' + s.slice(11, 16);
}

// beijingDay is the day, in Beijing, of an RFC 3339 instant: YYYY-MM-DD.
export function beijingDay(at) {
  return beijingTime(at).slice(0, 10);
}

export function stageLabel(stage) {
  return t('stage.' + stage);
}

export function projectStatusLabel(status) {
  return t('project.' + status);
}

// reasonText writes one reason of a gap-filling candidate (contract of
// issue #12, item 3: {code, …parameters}) in the app's language; a reason
// still sent as text is shown as it is.
export function reasonText(r) {
  if (typeof r === 'string') {
    return r;
  }
  switch (r && r.code) {
    case 'project_not_operating':
      return t('cand.project_not_operating', projectStatusLabel(r.status));
    case 'chain_partners':
      return r.n === 1 ? t('cand.chain_partner') : t('cand.chain_partners', num(r.n));
    case 'output':
      return t('cand.output', yi(r.wan));
    case 'supplies_area':
    case 'leader':
    case 'project_operating':
    case 'operating':
      return t('cand.' + r.code);
    default:
      return String((r && r.code) || '');
  }
}

// reasonsText is a candidate's reasons on one line.
export function reasonsText(reasons) {
  return (reasons || []).map(reasonText).join(t('cand.sep'));
}

// levelOf is the region's level (GET /region level): "province" or
// "city", the one rule behind 全省/全市 and 省本级/市本级 in the app.
export function levelOf(region) {
  return region && region.level === 'province' ? 'province' : 'city';
}

// areaAllLabel is 全省 or 全市 by the region's level.
export function areaAllLabel(region) {
  return t('area.' + levelOf(region));
}

// regionOwnLabel names the region's own level, the projects of no county:
// 市本级 or 省本级 by the region's level.
export function regionOwnLabel(region) {
  return t('level.' + levelOf(region) + 'Own');
}

// kindLabel names a kind of record (search hits).
export function kindLabel(kind) {
  return t('kind.' + kind);
}
