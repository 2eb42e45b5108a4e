"""Text clean-up shared by the matchers: width, spaces, brackets and common traditional characters."""

import re
import unicodedata

# Traditional characters that occur in unit names, titles and table headers of mirrored documents.
# Only for matching keys; the text shown to the user stays as written.
_TRADITIONAL = (
    "辦办 區区 縣县 鎮镇 鄉乡 衛卫 體体 農农 業业 務务 經经 濟济 發发 資资 環环 設设 財财 稅税 關关 審审 領领 導导 "
    "組组 會会 員员 條条 運运 輸输 規规 劃划 廳厅 園园 廣广 電电 視视 聯联 龍龙 樹树 門门 開开 學学 醫医 療疗 險险 "
    "應应 監监 場场 貿贸 糧粮 檢检 測测 質质 術术 黨党 幹干 統统 計计 數数 據据 網网 訊讯 動动 產产 東东 興兴 華华 "
    "義义 勞劳 團团 婦妇 殘残 協协 僑侨 臺台 紀纪 傳传 氣气 圖图 書书 館馆 藝艺 歷历 級级 執执 隊队 軍军 處处 擬拟 "
    "專专 項项 實实 歸归 這这 個个 們们 為为 與与 對对 於于 從从 來来 時时 間间 點点 進进 達达 標标 準准 職职 責责 "
    "負负 長长 號号 內内 號号 紅红 綠绿 黃黄 養养 購购 銷销 價价 費费 預预 優优 歲岁 萬万 億亿 兩两 眾众 "
    "災灾 險险 儲储 備备 藥药 類类 諮咨 詢询 護护 屬属 構构 營营 戶户 鐵铁 鋼钢 礦矿 橋桥 車车 軌轨 線线 節节 "
    "辭辞 認认 證证 變变 區区 縣县 壓压 緊紧 擴扩 積积 極极 劑剂 燈灯 機机 製制 總总 綜综 價价 戰战 勢势 際际 "
    "圍围 歡欢 觀观 館馆 廠厂 莊庄 灣湾 島岛 陽阳 陰阴 陸陆 漢汉 廟庙 衝冲 週周 團团 鄰邻 驗验 評评 議议 論论 "
    "調调 査查 訂订 設设 記记 許许 請请 談谈 識识 讓让 護护 讀读 課课 試试 詳详 語语 誌志 謀谋 譽誉 計计 講讲 "
    "報报 場场 壇坛 壩坝 墾垦 獎奖 婁娄 嬰婴 寧宁 寶宝 尋寻 導导 塵尘 層层 嶺岭 巖岩 幣币 彈弹 徑径 徵征 憲宪 "
    "戲戏 摺折 撥拨 擁拥 擔担 據据 攝摄 斷断 昇升 書书 會会 東东 棄弃 樂乐 橫横 檔档 權权 殯殡 氣气 決决 沒没 "
    "溝沟 滅灭 滯滞 濕湿 濱滨 灑洒 煙烟 熱热 爭争 爾尔 牽牵 獨独 獲获 瑪玛 環环 畫画 畢毕 療疗 發发 盡尽 盤盘 "
    "碼码 確确 禮礼 禍祸 稅税 穩稳 窮穷 競竞 筆笔 築筑 簡简 糧粮 紀纪 約约 級级 純纯 紙纸 細细 終终 組组 結结 "
    "絡络 給给 絕绝 統统 維维 綱纲 網网 緣缘 編编 練练 縮缩 績绩 織织 繼继 續续 罰罚 羅罗 聖圣 聞闻 聲声 肅肃 "
    "脫脱 腦脑 舉举 艙舱 藍蓝 蘇苏 虛虚 處处 號号 蟲虫 衛卫 補补 裝装 複复 覽览 觸触 訊讯 訓训 託托 記记 訪访 "
    "設设 證证 評评 診诊 詐诈 試试 話话 該该 詳详 誠诚 說说 請请 諸诸 謝谢 變变 貨货 販贩 貧贫 貫贯 責责 貸贷 "
    "費费 貿贸 資资 賓宾 賠赔 賣卖 質质 購购 贊赞 趕赶 趨趋 跡迹 踐践 躍跃 較较 載载 輔辅 輕轻 輪轮 轄辖 辦办 "
    "農农 迴回 適适 遷迁 遺遗 選选 遼辽 邊边 鄭郑 醫医 釋释 針针 鉤钩 銀银 錄录 錢钱 錯错 鍵键 鎖锁 鏈链 鐘钟 "
    "閉闭 閑闲 閣阁 闊阔 隨随 險险 隱隐 雙双 雜杂 雞鸡 離离 難难 電电 靈灵 韓韩 頁页 頂顶 項项 順顺 須须 預预 "
    "頓顿 領领 頭头 題题 額额 顏颜 願愿 類类 顧顾 顯显 風风 飛飞 飯饭 館馆 駐驻 驗验 體体 髮发 鬥斗 鳥鸟 鹽盐 "
    "麥麦 黨党 齊齐 齡龄 龍龙 澤泽 溫温 湯汤 滬沪 潔洁 淨净 滿满 漁渔 準准 潛潜 瀏浏 瀋沈 濤涛 濟济 廬庐 "
    "優优 傷伤 債债 傾倾 僅仅 價价 億亿 儀仪 儘尽 兒儿 兩两 凍冻 劃划 劉刘 創创 剛刚 劇剧 勁劲 勝胜 勵励 勸劝 "
    "匯汇 卻却 厲厉 參参 雙双 吳吴 員员 問问 啓启 單单 嚴严 囑嘱 國国 圓圆 圖图 團团 執执 堅坚 報报 塊块 塗涂 "
    "壞坏 壯壮 壽寿 夠够 夢梦 奪夺 奮奋 婦妇 媽妈 孫孙 寫写 寬宽 實实 審审 將将 專专 尋寻 對对 屆届 屬属 岡冈 "
    "峽峡 崗岗 幫帮 廢废 廣广 廳厅 張张 強强 彎弯 後后 徹彻 從从 復复 恆恒 惡恶 愛爱 態态 慣惯 慶庆 憂忧 應应 "
    "懷怀 戀恋 戶户 掃扫 掛挂 採采 換换 損损 搖摇 搶抢 擇择 擊击 擬拟 擴扩 擾扰 攜携 敗败 敵敌 數数 斂敛 斬斩 "
    "於于 時时 晉晋 暢畅 暫暂 曆历 曉晓 書书 條条 來来 東东 構构 槍枪 標标 樓楼 樣样 橋桥 機机 檢检 櫃柜 歐欧 "
    "歲岁 歷历 歸归 殘残 殺杀 氣气 漲涨 潰溃 澱淀 濫滥 灣湾 為为 烏乌 無无 煉炼 燒烧 營营 爺爷 牆墙 狀状 猶犹 "
    "獄狱 獻献 現现 瑣琐 產产 畝亩 異异 當当 瘡疮 癢痒 盜盗 眾众 睜睁 礎础 禦御 離离 種种 稱称 穀谷 積积 窩窝 "
    "竊窃 筍笋 範范 築筑 篩筛 簽签 籌筹 籃篮 紅红 級级 紛纷 統统 綁绑 經经 綠绿 緒绪 緩缓 縣县 總总 繩绳 "
    "罷罢 義义 習习 聯联 聰聪 職职 膠胶 膽胆 臉脸 臨临 與与 興兴 舊旧 艦舰 莊庄 華华 萬万 葉叶 葦苇 蓋盖 "
    "蒼苍 蔣蒋 蕭萧 薦荐 薩萨 藝艺 蘭兰 處处 蟻蚁 蠶蚕 衝冲 衛卫 製制 襪袜 見见 規规 視视 親亲 覺觉 觀观 "
    "計计 訊讯 討讨 訓训 記记 許许 論论 設设 訟讼 詐诈 詞词 譯译 議议 護护 讀读 變变 讓让 讚赞 豐丰 豬猪 貓猫 "
    "貝贝 負负 財财 貢贡 貨货 販贩 貪贪 貫贯 責责 貯贮 貴贵 買买 貸贷 賀贺 賃赁 資资 賊贼 賬账 賴赖 賺赚 贈赠 "
    "趙赵 跡迹 車车 軍军 軟软 軸轴 較较 輛辆 輩辈 輸输 轉转 辭辞 辯辩 邁迈 還还 郵邮 鄉乡 醜丑 針针 鈔钞 鋪铺 "
    "鍋锅 鎮镇 長长 門门 閃闪 開开 閒闲 間间 閱阅 闆板 闖闯 關关 陣阵 陳陈 陝陕 隊队 階阶 際际 隸隶 雖虽 雲云 "
    "霧雾 靜静 響响 頒颁 頻频 顆颗 飄飘 餘余 饒饶 馬马 馮冯 駕驾 騎骑 騰腾 驅驱 驚惊 鬧闹 魚鱼 魯鲁 鮮鲜 鴻鸿 "
    "鵬鹏 麗丽 黃黄 點点 齒齿 龜龟 鬱郁 舘馆 媯妫 衆众 綫线 羣群 遊游 纔才 臺台 裏里 麵面 範范 穫获 儅当"
)
_T2S = {pair[0]: pair[1] for pair in _TRADITIONAL.split() if len(pair) == 2}
_T2S_TABLE = str.maketrans(_T2S)

_SPACE = re.compile(r"\s+")
_BRACKETS = str.maketrans(
    {
        "〈": "(",
        "〉": ")",
        "〔": "(",
        "〕": ")",
        "【": "(",
        "】": ")",
        "[": "(",
        "]": ")",
        "（": "(",
        "）": ")",
        "《": "<",
        "》": ">",
    }
)


def simplify(text: str) -> str:
    """Full-width to half-width (NFKC) and traditional to simplified characters; keeps spaces."""
    return unicodedata.normalize("NFKC", text).translate(_T2S_TABLE)


def view(text: str) -> tuple[str, str]:
    """(simplified text to match on, text to cut from): the original when positions line up, so that a
    title cut out of a traditional-character line keeps its own characters."""
    simple = simplify(text)
    return simple, (text if len(simple) == len(text) else simple)


def key(text: str) -> str:
    """A matching key: simplified, without any spaces, one kind of bracket, no quotes or ★."""
    text = simplify(text).translate(_BRACKETS)
    text = _SPACE.sub("", text)
    return text.strip("“”\"'‘’★☆*·•")


def squash(text: str) -> str:
    """Collapse runs of white space to one space and strip the ends; keeps line breaks out."""
    return _SPACE.sub(" ", text).strip()
