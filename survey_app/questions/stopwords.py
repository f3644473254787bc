"""Stop words per language, left out of free-text term counts.

Short lists written for this project: articles, pronouns, prepositions, conjunctions,
auxiliaries and fillers. Words shorter than three characters are dropped anyway,
so the lists hold longer words only. Add a language by adding a key.
"""

from __future__ import annotations

STOP_WORDS: dict[str, frozenset[str]] = {
    "de": frozenset(
        """
        aber alle allem allen aller alles als also am an ander andere anderen anderer
        anderes auch auf aus bei beim bin bis bist bitte da dabei dadurch dafür dagegen
        daher damit dann dar daran darauf darin darum das dass dein deine dem den denen
        denn der deren des deshalb dessen die dies diese diesem diesen dieser dieses doch
        dort durch ein eine einem einen einer eines einige einmal er es etwa etwas euch
        euer eure für gab gegen gibt habe haben hat hatte hatten hier hin hinter ich ihm
        ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer in ins ist jede jedem jeden
        jeder jedes jetzt kann kein keine keinem keinen keiner können könnte machen man
        manche mehr mein meine mit muss müssen nach nicht nichts noch nun nur ob oder
        ohne sehr sein seine seinem seinen seiner selbst sich sie sind so sollen sollte
        sondern sowie über um und uns unser unsere unserem unseren unserer unter viel
        viele vom von vor war waren was weil welche welchem welchen welcher welches wenn
        wer werden wie wieder will wir wird wo wollen würde würden zu zum zur zwischen
        ganz gut schon wäre wären gerne etc bzw usw
        """.split()
    ),
    "en": frozenset(
        """
        about above after again against all also among and any are aren as at be
        because been before being below between both but by can cannot could did didn
        does doesn doing don down during each etc even every few for from further get
        gets had has have having he her here hers herself him himself his how however
        into is isn it its itself just let like lot lots many may more most much must
        my myself need needs no nor not now of off on once one only or other others our
        ours ourselves out over own per really same shall she should so some such than
        that the their theirs them themselves then there these they this those through
        to too under until up upon very was wasn we well were what when where which
        while who whom why will with within without would yes yet you your yours
        yourself also want wants
        """.split()
    ),
    "tr": frozenset(
        """
        acaba ama ancak artık aslında bazı belki ben beni benim bana bir biraz birçok
        biri birkaç birşey biz bize bizi bizim bu buna bunda bundan bunlar bunları
        bunların bunu bunun burada çok çünkü da daha de değil diğer diye dolayı en
        fakat gibi göre hem hep hepsi her hiç için ile ise kadar ki kim kimse mı mi mu
        mü nasıl ne neden nerede nereye niçin niye o olan olarak oldu olduğu olmak
        olması olsun on ona ondan onlar onları onların onu onun orada öyle şey şu şuna
        şunu siz size sizi sizin tüm ve veya ya yani yine yok zaten daha fazla olan
        olur var gibi kendi sonra önce
        """.split()
    ),
    "ar": frozenset(
        """
        أن إن إلى على عن من في مع هذا هذه ذلك تلك التي الذي الذين اللذين اللتين هو هي
        هم هن نحن أنت أنتم أنا كان كانت يكون تكون ليس لكن أو ثم حتى إذا إذ لم لن قد
        كل بعض غير بين عند عندما كما مثل أيضا أيضًا فقط جدا جدًا هناك هنا لدى لدينا
        لنا لهم له لها منذ بعد قبل حول خلال ضد دون إلا أي أين كيف لماذا ماذا متى ما
        لا نعم التى الى علي عليه عليها فيه فيها منه منها به بها وهو وهي وفي ومن وعلى
        والتي الذى يجب نريد
        """.split()
    ),
    "uk": frozenset(
        """
        але адже або без би був була були було бути вам вас весь вже вид вони воно все
        всі від для до дуже його ж за зі інші їх їхній й коли котрий ли лише мені
        мене ми мій на над навіть нам нас наш наша наше наші не нема немає ні ну о
        один однак оце по під після при про саме свій своє свої себе так також там
        те теж тим ти тих то тобто того тоді той тому треба ту тут у усі хто це цей
        ці цього цьому чи через що щоб як який яка яке які якщо є
        """.split()
    ),
}
