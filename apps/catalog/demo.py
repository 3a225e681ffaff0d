# ruff: noqa: E501 - guide texts read better unbroken
"""Demo catalogue for `make run`: five real-looking services (事项) with guides in Chinese and
English, review stages (one reviewed by two departments in parallel) and two- or three-step forms.

`seed_catalog()` is idempotent by service code: it refreshes the guide, documents and stages,
and creates version 1 only for a service that has no version (published versions never change)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Department

from .models import FieldDefinition, RequiredDocument, ReviewStage, ServiceItem, ServiceVersion
from .services import service_version_publish

K = FieldDefinition.Kind

# Used only when seed_catalog() runs without seed_demo's departments (e.g. a bare test database).
DEPARTMENT_NAMES = {
    "market": ("市场监督管理局", "Market Regulation Administration"),
    "housing": ("住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    "urban": ("城市管理局", "Urban Management Bureau"),
    "civil": ("民政局", "Civil Affairs Bureau"),
}

DECLARATION_ZH = (
    "本人（单位）承诺：所填写的信息和提交的材料真实、准确、完整，如有虚假，"
    "愿意承担相应的法律责任，并同意有关部门依法核查。"
)
DECLARATION_EN = (
    "I declare that the information I have given and the documents I have provided are true, "
    "accurate and complete. I understand that giving false information has legal consequences, "
    "and I agree that the departments concerned may check it as the law allows."
)


def _choices(*items: tuple[str, str, str]) -> list[dict]:
    return [{"value": v, "label_zh": zh, "label_en": en} for v, zh, en in items]


def _f(key, kind, label_zh, label_en, *, step, required=True, help_zh="", help_en="", **extra):
    return {
        "key": key,
        "kind": kind,
        "label_zh": label_zh,
        "label_en": label_en,
        "step": step,
        "required": required,
        "help_zh": help_zh,
        "help_en": help_en,
        **extra,
    }


ID_SCAN = _f(
    "id_card_scan",
    K.FILE,
    "居民身份证正反面扫描件",
    "Scan of both sides of your ID card",
    step=3,
    help_zh="PDF、JPEG 或 PNG 格式，正反面可分两个文件上传，每个不超过 5 MB。",
    help_en="PDF, JPEG or PNG. You may upload the two sides as two files, each up to 5 MB.",
    rules={"max_files": 2, "max_mb": 5},
    document=1,
)

SERVICES = [
    {
        "code": "individual-business-registration",
        "lead": "market",
        "name_zh": "个体工商户设立登记",
        "name_en": "Registering a sole trader (individual business)",
        "summary_zh": "有经营能力的公民从事工商业经营，办理个体工商户设立登记，领取营业执照。",
        "summary_en": (
            "Register as a sole trader (个体工商户) to run a shop, stall, restaurant or other "
            "small business, and receive your business licence."
        ),
        "who_may_apply_zh": "有经营能力的中国公民；以家庭经营的，以主持经营者为经营者。",
        "who_may_apply_en": (
            "Chinese citizens able to run a business. For a family business, the family member "
            "who runs it applies as the operator."
        ),
        "fee_zh": "不收费",
        "fee_en": "Free of charge",
        "legal_basis_zh": "《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》第十九条",
        "legal_basis_en": (
            "Regulations on Promoting the Development of Individual Industrial and Commercial "
            "Households; Regulations on the Registration of Market Entities, Article 19"
        ),
        "where_to_go_zh": "各区政务服务中心市场监管窗口；工作日 9:00–17:00。",
        "where_to_go_en": "The market regulation desk of any district service centre, working days 9:00–17:00.",
        "processing_notes_zh": (
            "材料齐全、符合法定形式的当场或在承诺时限内登记；营业执照可邮寄或到窗口领取，"
            "也可下载电子营业执照。"
        ),
        "processing_notes_en": (
            "If everything is complete we register you on the spot or within the promised time. "
            "Collect the licence at the desk, have it posted, or download the electronic licence."
        ),
        "statutory_days": 3,
        "promised_days": 1,
        "documents": [
            (
                "居民身份证",
                "Resident ID card",
                "经营者本人有效身份证件。",
                "The operator's valid ID card.",
                True,
            ),
            (
                "经营场所使用证明",
                "Proof of the right to use the premises",
                "房屋租赁合同或房产证明；使用自有住房的提供产权证明。",
                "A lease, or proof of ownership if you use your own home.",
                True,
            ),
        ],
        "stages": [("登记审核", "Registration check", ["market"], 1)],
        "steps": [
            ("经营者信息", "About the operator"),
            ("经营信息", "About the business"),
            ("上传材料", "Documents"),
        ],
        "fields": [
            _f(
                "operator_name",
                K.TEXT,
                "经营者姓名",
                "Operator's full name",
                step=1,
                rules={"max_length": 30},
            ),
            _f(
                "operator_id_number",
                K.ID_NUMBER,
                "经营者身份证号码",
                "Operator's ID number",
                step=1,
            ),
            _f("operator_phone", K.PHONE, "联系电话", "Mobile phone", step=1),
            _f(
                "organisation_form",
                K.CHOICE,
                "组成形式",
                "Who runs the business",
                step=2,
                choices=_choices(
                    ("personal", "个人经营", "One person"), ("family", "家庭经营", "A family")
                ),
            ),
            _f(
                "business_name",
                K.TEXT,
                "个体工商户名称",
                "Business name",
                step=2,
                required=False,
                help_zh="可以不起名称；如起名称，格式为“行政区划+字号+行业+组织形式”，如“东城区老王面馆”。",
                help_en="Optional. For example “东城区老王面馆” (district + trade name + trade + form).",
                rules={"max_length": 50},
            ),
            _f(
                "business_scope",
                K.MULTICHOICE,
                "经营范围",
                "What you will do",
                step=2,
                choices=_choices(
                    ("retail", "食品、日用品零售", "Retail of food and daily goods"),
                    ("catering", "餐饮服务", "Food and drink service"),
                    ("repair", "日用品修理", "Repair of household goods"),
                    ("beauty", "理发及美容服务", "Hairdressing and beauty"),
                    ("online", "网络销售", "Online sales"),
                ),
            ),
            _f("business_address", K.ADDRESS, "经营场所", "Business premises address", step=2),
            _f(
                "capital",
                K.NUMBER,
                "资金数额（元）",
                "Capital (yuan)",
                step=2,
                rules={"min": 0, "max": 100000000, "decimal_places": 2},
            ),
            _f(
                "start_date",
                K.DATE,
                "拟开业日期",
                "Planned opening date",
                step=2,
                rules={"min": "today"},
            ),
            ID_SCAN,
            _f(
                "premises_proof",
                K.FILE,
                "经营场所使用证明",
                "Lease or proof of ownership of the premises",
                step=3,
                rules={"max_files": 5, "max_mb": 10},
                document=2,
            ),
        ],
    },
    {
        "code": "minimum-living-allowance",
        "lead": "civil",
        "name_zh": "最低生活保障申请",
        "name_en": "Applying for the minimum living allowance (dibao)",
        "summary_zh": "家庭人均收入低于当地最低生活保障标准且财产状况符合规定的，可以申请最低生活保障。",
        "summary_en": (
            "Households whose income per person is below the local minimum living standard, and "
            "whose property meets the rules, can apply for the minimum living allowance (低保)."
        ),
        "who_may_apply_zh": (
            "持有本地户籍的共同生活家庭成员，家庭人均月收入低于当地低保标准，且家庭财产状况符合规定。"
            "以家庭为单位，由一名家庭成员提出申请；本人申请有困难的，可委托村（居）民委员会或他人代为申请。"
        ),
        "who_may_apply_en": (
            "Local households living together whose monthly income per person is below the local "
            "standard and whose property meets the rules. One member applies for the household; "
            "if that is hard, the residents' committee or someone you trust can apply for you."
        ),
        "fee_zh": "不收费",
        "fee_en": "Free of charge",
        "legal_basis_zh": "《社会救助暂行办法》第九条至第十五条；《最低生活保障审核确认办法》（民发〔2021〕57号）",
        "legal_basis_en": (
            "Interim Measures on Social Assistance, Articles 9–15; Measures for Reviewing and "
            "Confirming the Minimum Living Allowance (Min Fa [2021] No. 57)"
        ),
        "where_to_go_zh": "户籍所在地乡镇人民政府（街道办事处）社会救助窗口，或所在社区居委会代为受理。",
        "where_to_go_en": (
            "The social assistance desk of your township or sub-district office, or your "
            "residents' committee, which can take the application for you."
        ),
        "processing_notes_zh": (
            "受理后将进行家庭经济状况核对和入户调查，结果在村（居）务公开栏公示 7 天。"
            "因核对、调查需要，经批准可延长至 45 个工作日。"
        ),
        "processing_notes_en": (
            "After acceptance we check the household's finances and visit your home; the result "
            "is posted for 7 days at the residents' committee. The check may be extended to 45 "
            "working days with approval."
        ),
        "statutory_days": 30,
        "promised_days": 20,
        "documents": [
            (
                "居民身份证",
                "Resident ID card",
                "申请人有效身份证件。",
                "The applicant's valid ID card.",
                True,
            ),
            ("户口簿", "Household register (hukou booklet)", "全部页面。", "All pages.", True),
            (
                "收入证明",
                "Proof of income",
                "工资、养老金或其他收入证明；无收入的无需提供。",
                "Payslips, pension or other income statements; not needed without income.",
                False,
            ),
        ],
        "stages": [
            ("街道审核", "Sub-district review", ["civil"], 15),
            ("民政局确认", "Confirmation by Civil Affairs", ["civil"], 5),
        ],
        "steps": [
            ("申请人和家庭", "You and your household"),
            ("家庭经济状况", "Household income"),
            ("上传材料", "Documents"),
        ],
        "fields": [
            _f(
                "applicant_name",
                K.TEXT,
                "申请人姓名",
                "Applicant's full name",
                step=1,
                rules={"max_length": 30},
            ),
            _f(
                "applicant_id_number",
                K.ID_NUMBER,
                "申请人身份证号码",
                "Applicant's ID number",
                step=1,
            ),
            _f("applicant_phone", K.PHONE, "联系电话", "Mobile phone", step=1),
            _f("home_address", K.ADDRESS, "居住地址", "Home address", step=1),
            _f(
                "household_size",
                K.NUMBER,
                "共同生活家庭成员人数",
                "People living in the household",
                step=1,
                rules={"min": 1, "max": 20, "decimal_places": 0},
            ),
            _f(
                "monthly_income",
                K.NUMBER,
                "家庭月总收入（元）",
                "Household income per month (yuan)",
                step=2,
                help_zh="包括工资、养老金、经营收入等，无收入填 0。",
                help_en="Wages, pensions, business income and so on. Enter 0 if none.",
                rules={"min": 0, "max": 1000000, "decimal_places": 2},
            ),
            _f(
                "income_sources",
                K.MULTICHOICE,
                "收入来源",
                "Sources of income",
                step=2,
                choices=_choices(
                    ("wages", "工资", "Wages"),
                    ("pension", "养老金", "Pension"),
                    ("business", "经营收入", "Business income"),
                    ("support", "赡养（抚养）费", "Family support payments"),
                    ("none", "无收入", "No income"),
                ),
            ),
            _f(
                "main_reason",
                K.CHOICE,
                "致困主要原因",
                "Main reason for hardship",
                step=2,
                choices=_choices(
                    ("illness", "疾病", "Illness"),
                    ("disability", "残疾", "Disability"),
                    ("unemployment", "失业", "Unemployment"),
                    ("old_age", "年老无依", "Old age without support"),
                    ("other", "其他", "Other"),
                ),
            ),
            _f(
                "situation",
                K.TEXTAREA,
                "家庭情况说明",
                "Tell us about your situation",
                step=2,
                rules={"min_length": 10, "max_length": 2000},
            ),
            ID_SCAN,
            _f(
                "hukou_scan",
                K.FILE,
                "户口簿扫描件",
                "Scan of the household register",
                step=3,
                rules={"max_files": 10, "max_mb": 10},
                document=2,
            ),
            _f(
                "income_proof",
                K.FILE,
                "收入证明",
                "Proof of income",
                step=3,
                required=False,
                rules={"max_files": 5, "max_mb": 10},
                document=3,
            ),
        ],
    },
    {
        "code": "road-occupation-permit",
        "lead": "urban",
        "name_zh": "占用、挖掘城市道路施工许可",
        "name_en": "Permit to occupy or dig up a city road for works",
        "summary_zh": "因工程建设需要临时占用或挖掘城市道路的，应当经市政、城管等部门批准。",
        "summary_en": (
            "Permission to occupy or dig up a city road temporarily for construction works, "
            "reviewed by Urban Management and Housing and Construction together."
        ),
        "who_may_apply_zh": "因工程建设确需临时占用、挖掘城市道路的建设单位或施工单位。",
        "who_may_apply_en": "Developers or contractors whose works must temporarily occupy or dig up a city road.",
        "fee_zh": "按当地物价部门核定标准缴纳道路占用费和挖掘修复费。",
        "fee_en": "Road occupation and reinstatement fees at the locally approved rates.",
        "legal_basis_zh": "《城市道路管理条例》第三十条、第三十一条、第三十三条",
        "legal_basis_en": "Regulations on the Administration of Urban Roads, Articles 30, 31 and 33",
        "where_to_go_zh": "市政务服务中心城市管理局窗口。",
        "where_to_go_en": "The Urban Management desk at the city government service centre.",
        "processing_notes_zh": (
            "城市管理局牵头受理，住房和城乡建设局同步并联审查施工和交通组织方案，"
            "统一受理、分头审批、集中回复。紧急抢修可先行施工，24 小时内补办手续。"
        ),
        "processing_notes_en": (
            "Urban Management receives the application; Housing and Construction reviews the "
            "works and traffic plans at the same time, and you get one joint answer. Emergency "
            "repairs may start first and apply within 24 hours."
        ),
        "statutory_days": 20,
        "promised_days": 10,
        "allows_deemed_consent": True,
        "documents": [
            (
                "营业执照",
                "Business licence",
                "申请单位营业执照。",
                "The applicant's business licence.",
                True,
            ),
            (
                "施工平面图",
                "Site plan",
                "标明占用或挖掘位置、面积的平面图。",
                "A plan showing where and how much of the road you will use.",
                True,
            ),
            (
                "交通组织方案",
                "Traffic management plan",
                "施工期间车辆和行人通行、安全防护措施。",
                "How vehicles and pedestrians will pass safely during the works.",
                True,
            ),
        ],
        "stages": [("并联审查", "Joint review", ["urban", "housing"], 7)],
        "steps": [
            ("申请单位", "About the applicant"),
            ("施工信息", "About the works"),
            ("上传材料", "Documents"),
        ],
        "fields": [
            _f(
                "organisation",
                K.TEXT,
                "申请单位名称",
                "Organisation name",
                step=1,
                rules={"max_length": 100},
            ),
            _f(
                "credit_code",
                K.TEXT,
                "统一社会信用代码",
                "Unified social credit code",
                step=1,
                help_zh="18 位，见营业执照。",
                help_en="18 characters, printed on the business licence.",
                rules={
                    "pattern": r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
                    "pattern_message_zh": "请输入营业执照上的18位统一社会信用代码。",
                    "pattern_message_en": "Enter the 18-character code from the business licence.",
                },
            ),
            _f(
                "contact_name", K.TEXT, "联系人", "Contact person", step=1, rules={"max_length": 30}
            ),
            _f("contact_phone", K.PHONE, "联系人手机", "Contact's mobile phone", step=1),
            _f("site_location", K.ADDRESS, "占用（挖掘）地点", "Where on the road", step=2),
            _f(
                "works_type",
                K.CHOICE,
                "施工类型",
                "Type of works",
                step=2,
                choices=_choices(
                    ("pipeline", "管线敷设或维修", "Laying or repairing pipes and cables"),
                    ("building", "建筑工程临时占道", "Building works next to the road"),
                    ("road", "道路维修", "Road repairs"),
                    ("other", "其他", "Other"),
                ),
            ),
            _f(
                "area",
                K.NUMBER,
                "占用面积（平方米）",
                "Area used (square metres)",
                step=2,
                rules={"min": 1, "max": 5000, "decimal_places": 1},
            ),
            _f(
                "start_date",
                K.DATE,
                "计划开工日期",
                "Planned start",
                step=2,
                rules={"min": "today"},
            ),
            _f(
                "end_date", K.DATE, "计划完工日期", "Planned finish", step=2, rules={"min": "today"}
            ),
            _f(
                "licence_scan",
                K.FILE,
                "营业执照",
                "Business licence",
                step=3,
                rules={"max_files": 1, "max_mb": 10},
                document=1,
            ),
            _f(
                "site_plan",
                K.FILE,
                "施工平面图",
                "Site plan",
                step=3,
                rules={"max_files": 3, "max_mb": 20, "types": ["pdf"]},
                document=2,
            ),
            _f(
                "traffic_plan",
                K.FILE,
                "交通组织方案",
                "Traffic management plan",
                step=3,
                rules={"max_files": 3, "max_mb": 20, "types": ["pdf"]},
                document=3,
            ),
        ],
    },
    {
        "code": "senior-citizen-card",
        "lead": "civil",
        "name_zh": "老年人优待证办理",
        "name_en": "Senior citizen card",
        "summary_zh": "年满 60 周岁的老年人可申领老年人优待证，享受公共交通、景区门票等优待。",
        "summary_en": (
            "People aged 60 or over can get a senior citizen card for free or cheaper public "
            "transport, park and museum tickets and other benefits."
        ),
        "who_may_apply_zh": "年满 60 周岁的本市户籍老年人，以及在本市居住的外地户籍老年人。",
        "who_may_apply_en": "People aged 60 or over who are registered in, or live in, the city.",
        "fee_zh": "不收费",
        "fee_en": "Free of charge",
        "legal_basis_zh": "《中华人民共和国老年人权益保障法》第五十七条至第六十一条",
        "legal_basis_en": "Law on the Protection of the Rights and Interests of Older People, Articles 57–61",
        "where_to_go_zh": "居住地社区服务站或街道政务服务中心；行动不便的可由家属、社区帮办员代办。",
        "where_to_go_en": (
            "Your community service station or sub-district service centre. If it is hard for "
            "you to come, a family member or a community helper can apply for you."
        ),
        "processing_notes_zh": "审核通过后制证，可选择到社区领取或邮寄到家。",
        "processing_notes_en": "Once approved we make the card; collect it at your community or have it posted.",
        "statutory_days": 15,
        "promised_days": 5,
        "documents": [
            (
                "居民身份证",
                "Resident ID card",
                "申请人有效身份证件。",
                "The applicant's valid ID card.",
                True,
            ),
            (
                "近期免冠照片",
                "Recent photo",
                "一寸白底免冠彩色照片，JPEG 或 PNG。",
                "A recent colour passport-style photo on a white background, JPEG or PNG.",
                True,
            ),
        ],
        "stages": [("审核制证", "Check and make the card", ["civil"], None)],
        "steps": [("老人信息", "About the applicant"), ("照片和领取方式", "Photo and delivery")],
        "fields": [
            _f("full_name", K.TEXT, "姓名", "Full name", step=1, rules={"max_length": 30}),
            _f("id_number", K.ID_NUMBER, "身份证号码", "ID number", step=1),
            _f(
                "birth_date",
                K.DATE,
                "出生日期",
                "Date of birth",
                step=1,
                rules={"min": "1900-01-01", "max": "today"},
            ),
            _f(
                "gender",
                K.CHOICE,
                "性别",
                "Sex",
                step=1,
                choices=_choices(("f", "女", "Female"), ("m", "男", "Male")),
            ),
            _f(
                "phone",
                K.PHONE,
                "联系电话（本人或家属）",
                "Mobile phone (yours or a family member's)",
                step=1,
            ),
            _f("address", K.ADDRESS, "居住地址", "Home address", step=1),
            _f(
                "photo",
                K.FILE,
                "免冠照片",
                "Photo",
                step=2,
                rules={"max_files": 1, "max_mb": 2, "types": ["jpeg", "png"]},
                document=2,
            ),
            {**ID_SCAN, "step": 2},
            _f(
                "delivery",
                K.CHOICE,
                "领取方式",
                "How to receive the card",
                step=2,
                choices=_choices(
                    ("collect", "到社区服务站领取", "Collect at the community service station"),
                    ("post", "邮寄到居住地址", "Post it to my home address"),
                ),
            ),
        ],
    },
    {
        "code": "rental-registration",
        "lead": "housing",
        "name_zh": "房屋租赁登记备案",
        "name_en": "Registering a residential lease",
        "summary_zh": "出租住房的，租赁双方应在租赁合同签订后 30 日内办理房屋租赁登记备案。",
        "summary_en": (
            "Landlords and tenants register a residential lease within 30 days of signing it; "
            "the registration certificate helps with residence permits and school places."
        ),
        "who_may_apply_zh": "房屋出租人或承租人，或其委托的住房租赁企业、房地产经纪机构。",
        "who_may_apply_en": "The landlord or the tenant, or a letting agent acting for them.",
        "fee_zh": "不收费",
        "fee_en": "Free of charge",
        "legal_basis_zh": "《商品房屋租赁管理办法》第十四条；《住房租赁条例》",
        "legal_basis_en": "Measures for the Administration of Commercial Housing Leases, Article 14; Housing Leasing Regulations",
        "where_to_go_zh": "房屋所在地街道政务服务中心住房窗口。",
        "where_to_go_en": "The housing desk of the sub-district service centre where the home is.",
        "processing_notes_zh": "材料齐全的，出具房屋租赁登记备案证明。",
        "processing_notes_en": "If everything is complete, you receive a lease registration certificate.",
        "statutory_days": 3,
        "promised_days": 1,
        "documents": [
            (
                "房屋租赁合同",
                "Lease",
                "双方签字的租赁合同。",
                "The lease signed by both sides.",
                True,
            ),
            (
                "居民身份证",
                "Resident ID card",
                "租赁双方身份证件。",
                "ID cards of landlord and tenant.",
                True,
            ),
        ],
        "stages": [("备案审核", "Registration check", ["housing"], 1)],
        "steps": [("租赁信息", "About the lease"), ("上传材料", "Documents")],
        "fields": [
            _f(
                "landlord_name",
                K.TEXT,
                "出租人姓名",
                "Landlord's name",
                step=1,
                rules={"max_length": 30},
            ),
            _f(
                "tenant_name",
                K.TEXT,
                "承租人姓名",
                "Tenant's name",
                step=1,
                rules={"max_length": 30},
            ),
            _f("tenant_id_number", K.ID_NUMBER, "承租人身份证号码", "Tenant's ID number", step=1),
            _f("tenant_phone", K.PHONE, "承租人手机", "Tenant's mobile phone", step=1),
            _f("property_address", K.ADDRESS, "房屋地址", "Address of the home", step=1),
            _f(
                "monthly_rent",
                K.NUMBER,
                "月租金（元）",
                "Monthly rent (yuan)",
                step=1,
                rules={"min": 1, "max": 1000000, "decimal_places": 2},
            ),
            _f("lease_start", K.DATE, "租赁起始日期", "Lease starts", step=1),
            _f("lease_end", K.DATE, "租赁终止日期", "Lease ends", step=1),
            _f(
                "lease_scan",
                K.FILE,
                "房屋租赁合同",
                "The signed lease",
                step=2,
                rules={"max_files": 10, "max_mb": 10},
                document=1,
            ),
            {**ID_SCAN, "step": 2, "document": 2},
        ],
    },
]

GUIDE_FIELDS = [
    "name_zh",
    "name_en",
    "summary_zh",
    "summary_en",
    "who_may_apply_zh",
    "who_may_apply_en",
    "fee_zh",
    "fee_en",
    "legal_basis_zh",
    "legal_basis_en",
    "where_to_go_zh",
    "where_to_go_en",
    "processing_notes_zh",
    "processing_notes_en",
    "statutory_days",
    "promised_days",
]


def _department(code: str) -> Department:
    name_zh, name_en = DEPARTMENT_NAMES[code]
    department, _ = Department.objects.get_or_create(
        code=code, defaults={"name_zh": name_zh, "name_en": name_en}
    )
    return department


def _seed_service(spec: dict) -> ServiceItem:
    defaults = {name: spec[name] for name in GUIDE_FIELDS}
    defaults["lead_department"] = _department(spec["lead"])
    defaults["allows_deemed_consent"] = spec.get("allows_deemed_consent", False)
    defaults["kind"] = ServiceItem.Kind.APPLICATION
    service, _ = ServiceItem.objects.update_or_create(code=spec["code"], defaults=defaults)

    documents = {}
    for order, (name_zh, name_en, desc_zh, desc_en, required) in enumerate(spec["documents"], 1):
        documents[order], _ = RequiredDocument.objects.update_or_create(
            service=service,
            order=order,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "description_zh": desc_zh,
                "description_en": desc_en,
                "required": required,
            },
        )
    for order, (name_zh, name_en, department_codes, days) in enumerate(spec["stages"], 1):
        stage, _ = ReviewStage.objects.update_or_create(
            service=service,
            order=order,
            defaults={"name_zh": name_zh, "name_en": name_en, "days": days},
        )
        stage.departments.set([_department(code) for code in department_codes])

    if not service.versions.exists():
        version = ServiceVersion.objects.create(
            service=service,
            number=1,
            declaration_zh=DECLARATION_ZH,
            declaration_en=DECLARATION_EN,
            steps=[{"title_zh": zh, "title_en": en} for zh, en in spec["steps"]],
        )
        for order, field in enumerate(spec["fields"], 1):
            field = dict(field)
            document = field.pop("document", None)
            FieldDefinition.objects.create(
                version=version,
                order=order,
                document=documents[document] if document else None,
                **field,
            )
        service_version_publish(version=version, actor=None)
    return service


@transaction.atomic
def seed_catalog() -> list[ServiceItem]:
    """Create or refresh the demo services; safe to run again."""
    return [_seed_service(spec) for spec in SERVICES]


# --- complaint categories (12345): default department and time limits ----------------------

COMPLAINT_CATEGORIES = [
    # code, lead, name_zh, name_en, summary_zh, summary_en, urgent hours
    (
        "noise",
        "urban",
        "噪声扰民",
        "Noise",
        "施工、商业、社会生活噪声。",
        "Building sites, shops, neighbours.",
        24,
    ),
    (
        "street-lighting",
        "urban",
        "路灯与市政设施",
        "Street lights and street furniture",
        "路灯不亮、井盖缺失、护栏损坏。",
        "Broken lights, missing manhole covers, damaged railings.",
        12,
    ),
    (
        "food-safety",
        "market",
        "食品安全",
        "Food safety",
        "餐饮、食品销售中的安全问题。",
        "Unsafe food in restaurants and shops.",
        24,
    ),
    (
        "housing-repair",
        "housing",
        "物业与房屋维修",
        "Housing repairs and property management",
        "物业服务、公共部位维修、电梯故障。",
        "Property services, shared repairs, lifts out of order.",
        24,
    ),
    (
        "elderly-care",
        "civil",
        "养老服务",
        "Care for older people",
        "养老机构与居家养老服务。",
        "Care homes and care at home.",
        24,
    ),
]


@transaction.atomic
def seed_complaint_categories() -> list[ServiceItem]:
    """Create or refresh the demo complaint categories (kind COMPLAINT, no form); safe to rerun.

    Limits: consultation 2, help 5, complaint and suggestion 13 working days; urgent in hours."""
    items = []
    for code, lead, name_zh, name_en, summary_zh, summary_en, hours in COMPLAINT_CATEGORIES:
        item, _ = ServiceItem.objects.update_or_create(
            code=code,
            defaults={
                "kind": ServiceItem.Kind.COMPLAINT,
                "lead_department": _department(lead),
                "name_zh": name_zh,
                "name_en": name_en,
                "summary_zh": summary_zh,
                "summary_en": summary_en,
                "statutory_days": 15,
                "promised_days": 13,
                "urgent_hours": hours,
                "complaint_days": {"consultation": 2, "help": 5, "complaint": 13, "suggestion": 13},
            },
        )
        if not item.versions.exists():
            # A complaint has no form of its own: an empty published version for the cases.
            ServiceVersion.objects.create(service=item, number=1, published_at=timezone.now())
        items.append(item)
    return items
